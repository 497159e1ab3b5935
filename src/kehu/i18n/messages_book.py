"""Messages about the book itself: where it is, opening and upgrading it, backup, restore,
doctor, a book on a PostgreSQL server, CSV import and export, and what the error
boundary says when a command fails.

Each message is a key and its template in (zh, en), formatted with named parameters.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # where the book is, opening it, reading and writing it
    "no_book": (
        "账本不存在：{path}。先用 kehu add 建一个，或用 --db 指定已有账本。",
        "No account book at {path}. Create one with `kehu add`, or point --db at an existing book.",
    ),
    "book_is_folder": (
        "{path} 是一个文件夹，不是账本文件。请用 --db 指定文件。",
        "{path} is a folder, not a book file. Point --db at a file.",
    ),
    "book_not_a_file": (
        "{path} 不是普通文件（而是管道、设备或套接字），不能用作账本。请检查 --db 路径。",
        "{path} is not a regular file (a pipe, a device or a socket) and cannot be a book. Check the --db path.",
    ),
    "book_no_access": (
        "无权访问账本 {path}：它或它所在的文件夹不允许你读取。请检查权限。",
        "You may not use the book {path}: it, or a folder on its path, is not open to you. Check the permissions.",
    ),
    "csv_exported": (
        "已导出 {rows} 行到 {path}",
        "Exported {path} (records: {rows})",
    ),
    "disk_full": (
        "磁盘已满，无法在 {path} 写入：请腾出空间后重试。账本没有改动。",
        "The disk is full: nothing could be written in {path}. Free some space and try again; "
        "the book is unchanged.",
    ),
    "empty_db_path": ("--db 不能为空。", "--db cannot be empty."),
    "book_dir_failed": (
        "无法创建账本目录 {path}：{error}",
        "Cannot create the book's folder {path}: {error}",
    ),
    "not_a_book": (
        "{path} 不是 kehu 账本（{why}）。请检查 --db 路径。",
        "{path} is not a kehu account book ({why}). Check the --db path.",
    ),
    "newer_schema": (
        "账本 {path} 的结构版本 {found} 比本程序支持的 {supported} 新，请升级 kehu。",
        "The book {path} has schema version {found}, newer than this kehu's {supported}: upgrade kehu.",
    ),
    "busy": (
        "账本正被另一个 kehu 进程占用，请稍后重试。",
        "The book is locked by another kehu process; try again in a moment.",
    ),
    "read_only": (
        "账本 {path} 是只读的，无法写入。请检查文件权限。",
        "The book {path} is read-only; check its file permissions.",
    ),
    "io_error": ("读写账本失败：{error}", "Reading or writing the book failed: {error}"),
    "db_error": (
        "账本操作失败（{error}）。",
        "The book could not be used ({error}).",
    ),
    # backup, restore, forgetting a person, doctor
    "backup_before_upgrade": (
        "升级账本结构（{old} → {new}）前已备份：{path}",
        "Backed up the book before upgrading its schema ({old} → {new}): {path}",
    ),
    "backups_pruned": (
        "按保留规则从 {folder} 删除了 {n} 个旧备份。",
        "Removed {n} old backup(s) from {folder} by the retention rule.",
    ),
    "prune_with_dest": (
        "--prune 只清理账本的 backups/ 文件夹，不能和 DEST 一起用。",
        "--prune only tidies the book's backups/ folder and takes no DEST.",
    ),
    "backup_done": ("账本已备份到 {path}（已校验）", "Backed up the book to {path} (verified)"),
    "backup_exists": (
        "{path} 已存在，备份不会覆盖文件：请换一个名字或文件夹。",
        "{path} already exists and a backup never overwrites a file: choose another name or folder.",
    ),
    "backup_damaged": (
        "备份 {path} 时副本未通过校验（{why}），已删除副本。请运行 kehu doctor。",
        "The copy made while backing up {path} failed its check ({why}) and was removed; run kehu doctor.",
    ),
    "restore_not_a_file": (
        "{path} 不是普通文件（而是文件夹、管道或设备）：kehu restore 需要一个备份文件。",
        "{path} is not a regular file (a folder, a pipe or a device): kehu restore takes a backup file.",
    ),
    "file_no_access": ("无权读取 {path}：请检查权限。", "You may not read {path}; check its permissions."),
    "no_file": ("文件 {path} 不存在。", "The file {path} does not exist."),
    "restore_refused": (
        "不能从 {path} 恢复：{why}。账本未改动。",
        "Cannot restore from {path}: {why}. The book is unchanged.",
    ),
    "restore_moved_damaged": (
        "原账本已损坏，已原样移到 {path} 保存",
        "The book was damaged; it was moved, as it was, to {path}",
    ),
    "book_damaged": (
        "账本已损坏（{why}）。kehu doctor 可查看详情，kehu restore 可从备份恢复。",
        "The book is damaged ({why}). `kehu doctor` shows the details; `kehu restore` brings back a backup.",
    ),
    "restore_done": ("已从 {source} 恢复账本 {path}。", "Restored the book {path} from {source}."),
    "restore_saved_old": (
        "恢复前的账本已另存为 {path}",
        "The book as it was before the restore is saved as {path}",
    ),
    "person_forgotten": (
        "已彻底删除 {customer} 的 {name}（含私密信息），{links} 条接触记录不再提及此人；账本文件中已不留痕迹。",
        "Forgot {name} at {customer} (private details included); {links} touchpoints no longer name them; no trace is left in the book's files.",
    ),
    "person_forgotten_server": (
        "已彻底删除 {customer} 的 {name}（含私密信息），{links} 条接触记录不再提及此人；相关表已在服务器上重写。服务器的 WAL 归档、备库和备份不在 kehu 控制之内，请管理员按保留策略处理。",
        "Forgot {name} at {customer} (private details included); {links} touchpoints no longer name them, and the tables they were in were rewritten on the server. The server's WAL archive, standbys and backups are beyond kehu's reach: their retention is the administrator's.",
    ),
    "person_forgotten_backups": (
        "注意：此前的 {n} 个备份（{folder}）仍含此人资料，如需要请删除。",
        "Note: {n} earlier backups in {folder} still hold their details; delete them if you must.",
    ),
    "scrub_incomplete": (
        "已删除，但账本文件尚未清理干净（{why}）：请在没有其他 kehu 使用账本时运行 kehu doctor --scrub。",
        "Deleted, but the book's files are not wiped yet ({why}): run `kehu doctor --scrub` when no other kehu is using the book.",
    ),
    "doctor_file_ok": ("kehu 账本", "a kehu book"),
    "doctor_file_new": ("SQLite 文件，尚无 kehu 标识（下次写入时设置）", "an SQLite file without kehu's id yet (set on the next write)"),
    "doctor_ok": ("正常", "ok"),
    "doctor_search_ok": ("{n} 条，与记录一致（待索引 {waiting} 条）", "{n} entries, in step with the records ({waiting} waiting)"),
    "doctor_search_count": (
        "索引有 {have} 条，记录有 {want} 条，不一致；用 kehu doctor --reindex 重建",
        "the index holds {have} entries for {want} records; rebuild it with kehu doctor --reindex",
    ),
    "doctor_search_wrong": (
        "抽查的记录中有 {n} 条与索引不符；用 kehu doctor --reindex 重建",
        "{n} sampled records differ from their index entries; rebuild it with kehu doctor --reindex",
    ),
    "doctor_search_trgm": ("{n} 个 pg_trgm 索引，完好", "{n} pg_trgm indexes, all valid"),
    "doctor_search_scan": (
        "服务器没有给这个账本 pg_trgm：搜索逐行查找，结果相同，只是慢些",
        "the server offers this book no pg_trgm: searches scan, with the same answers, more slowly",
    ),
    "doctor_search_trgm_broken": (
        "搜索索引只有 {have}/{want} 个可用；用 kehu doctor --reindex 补建",
        "only {have} of {want} search indexes are usable; rebuild them with kehu doctor --reindex",
    ),
    "doctor_search_missing": ("账本尚无搜索索引（下次写入时升级）", "no search index yet (the next write upgrades the book)"),
    "reindex_schema": (
        "账本结构版本是 {found}，不是 {latest}：任何一次写入都会先升级它（同时建好索引）",
        "The book is at schema version {found}, not {latest}: any write upgrades it first (and builds the index)",
    ),
    "doctor_reindexed": ("已重建搜索索引：{n} 条", "Rebuilt the search index: {n} entries"),
    "doctor_reindexed_server": ("搜索索引：{n} 个 pg_trgm 索引可用", "Search indexes: {n} pg_trgm indexes usable"),
    "doctor_damaged": ("已损坏：{detail}", "damaged: {detail}"),
    "doctor_fk": ("{n} 行引用了不存在的记录（{tables}）", "{n} rows point at records that do not exist ({tables})"),
    "doctor_schema_newer": (
        "版本 {found} 比本程序支持的 {supported} 新：请升级 kehu",
        "version {found} is newer than this kehu's {supported}: upgrade kehu",
    ),
    "doctor_schema_none": ("没有 kehu 结构版本", "no kehu schema version"),
    "doctor_schema_old": (
        "版本 {found}；下次使用时先备份再升级到 {latest}",
        "version {found}; the next use backs it up and upgrades it to {latest}",
    ),
    "doctor_schema_old_server": (
        "版本 {found}；下次使用时在一个事务中升级到 {latest}（请先用 pg_dump 备份）",
        "version {found}; the next use upgrades it to {latest} in one transaction (back it up with pg_dump first)",
    ),
    "doctor_schema_differs": (
        "结构与 kehu 自己建立的不同（{detail}）：kehu 的操作结果可能不可信，请用 kehu restore 恢复备份",
        "not the schema kehu makes ({detail}): what kehu reports doing may not be what happens; "
        "restore a backup with kehu restore",
    ),
    # A schema difference (kehu.book.shape), inside doctor's and restore's lines: only
    # the SQL name stays as the file spells it.
    "schema_problem": ("数据库结构：{detail}", "schema: {detail}"),
    "schema_no_version": ("没有 kehu 的结构版本号", "no kehu schema version"),
    "schema_newer": ("结构版本 {found} 比本程序支持的 {latest} 新", "version {found} is newer than this kehu ({latest})"),
    "schema_extra": ("{what} {name} 不是 kehu 建立的（结构版本 {version}）", "{what} {name} is not kehu's (schema version {version})"),
    "schema_missing": ("缺少结构版本 {version} 应有的{what} {name}", "{what} {name} of schema version {version} is missing"),
    "schema_changed": (
        "{what} {name} 与 kehu 结构版本 {version} 的定义不同",
        "{what} {name} is not as kehu's schema version {version} declares it",
    ),
    "sql_table": ("表", "table"),
    "sql_index": ("索引", "index"),
    "sql_view": ("视图", "view"),
    "sql_trigger": ("触发器", "trigger"),
    "sql_object": ("数据库对象", "object"),
    "doctor_schema_current": ("版本 {found}（最新）", "version {found} (current)"),
    "doctor_journal": ("{mode}", "{mode}"),
    "doctor_perm_ok": ("仅所有者可读写", "owner only"),
    "doctor_perm_loose": ("他人可访问：{items}", "open to others: {items}"),
    "doctor_found": ("kehu doctor 发现 {n} 个问题。", "kehu doctor found {n} problem(s)."),
    # a book on a PostgreSQL server (team mode); never the URL, which may hold a password
    "bad_actor": (
        "--as / KEHU_USER 必须是 1 到 200 个字符的名字。",
        "--as / KEHU_USER must be a name of 1 to 200 characters.",
    ),
    "db_url_at": (
        "--db / KEHU_DB 的用户名或密码中有未编码的 @：请写成 %40（密码最好放在 ~/.pgpass 或 PGPASSWORD 中）。",
        "--db / KEHU_DB has an unencoded @ in its user or password: write it as %40 (better, keep the password in ~/.pgpass or PGPASSWORD).",
    ),
    "bad_db_url": (
        "--db / KEHU_DB 不是有效的数据库地址：应为 postgresql://用户@主机:端口/数据库（密码放在 ~/.pgpass 或 PGPASSWORD 中）。",
        "--db / KEHU_DB is not a valid database URL: write postgresql://user@host:port/dbname (the password belongs in ~/.pgpass or PGPASSWORD).",
    ),
    "no_psycopg": (
        "使用服务器上的账本需要 psycopg 3：pip install 'kehu[postgresql]'",
        "A server book needs psycopg 3: pip install 'kehu[postgresql]'",
    ),
    "server_not_a_file": (
        "服务器上的账本不能用 kehu {what}：请用服务器自己的工具（pg_dump / pg_restore）备份和恢复。",
        "`kehu {what}` works on a book file; back up and restore a server book with the server's own tools (pg_dump, pg_restore).",
    ),
    "no_server_db": (
        "服务器 {where} 上没有数据库 {db}：请先建库（createdb {db}），或检查 KEHU_DB。",
        "There is no database {db} on {where}: create it first (createdb {db}), or check KEHU_DB.",
    ),
    "no_server_book": (
        "数据库 {where} 里还没有 kehu 账本：kehu add 会在其中建立账本，或检查 KEHU_DB。",
        "The database {where} holds no kehu book yet: `kehu add` starts one there, or check KEHU_DB.",
    ),
    "server_denied": (
        "服务器 {where} 拒绝了用户 {user} 的登录：请检查密码（~/.pgpass 或 PGPASSWORD）和用户名。",
        "The server {where} refused the login of {user}: check the user name and the password (~/.pgpass or PGPASSWORD).",
    ),
    "server_no_rights": (
        "服务器 {where} 不允许此用户这样做（{why}）：请管理员授予账本表的权限。",
        "The server {where} does not allow this user to do that ({why}): ask the administrator to grant rights on the book's tables.",
    ),
    "server_read_only": (
        "服务器 {where} 只读（可能是备库），不能写入。",
        "The server {where} is read-only (a standby?): nothing can be written there.",
    ),
    "server_unreachable": (
        "连接不上服务器 {where}（{why}）：请确认服务器在运行、地址正确，稍后重试。",
        "Cannot reach the server {where} ({why}): check that it is running and the address is right, then try again.",
    ),
    "server_upgrade": (
        "正在升级服务器账本 {where} 的结构（{old} → {new}），在一个事务中完成；kehu 无法复制服务器账本，请依靠服务器的 pg_dump 备份。",
        "Upgrading the schema of the server book {where} ({old} → {new}) in one transaction; kehu cannot copy a server book, so rely on the server's pg_dump backups.",
    ),
    "doctor_server_ok": ("{where}，PostgreSQL {version}", "{where}, PostgreSQL {version}"),
    "doctor_public_tables": (
        "所有数据库用户都能访问这些表：{tables}（REVOKE ALL ON ... FROM PUBLIC）",
        "every database user can reach these tables: {tables} (REVOKE ALL ON ... FROM PUBLIC)",
    ),
    "doctor_privileges_ok": ("未向所有用户（PUBLIC）开放", "not open to every user (PUBLIC)"),
    "doctor_transport_ok": ("连接：{how}", "connection: {how}"),
    "doctor_transport_plain": (
        "与 {where} 的连接未加密，客户资料以明文经过网络（在地址后加 ?sslmode=require）",
        "the connection to {where} is not encrypted: customer data crosses the network in clear (add ?sslmode=require)",
    ),
    # the error boundary
    "bad_text": (
        "参数里有无法识别的字符（不是 UTF-8）：请检查终端编码。",
        "An argument is not valid text (not UTF-8): check the terminal's encoding.",
    ),
    "internal_error": (
        "kehu 内部错误（{error}）。不含您数据的报告已存于 {report}，请提交给我们；设置 KEHU_DEBUG=1 可看到完整信息。",
        "Internal error in kehu ({error}). A report without your data is in {report}: please send it to us; KEHU_DEBUG=1 shows the full traceback.",
    ),
    "interrupted": ("已中断，未写入任何内容。", "Interrupted; nothing was written."),
    "interrupted_saved": ("已中断；中断前的更改已保存。", "Interrupted after the change was saved."),
    # CSV import and export
    "csv_encoding": (
        "{file} 不是 UTF-8、UTF-16 或 GBK/GB18030 编码：请用 --encoding 指定（如 --encoding big5）。",
        "{file} is not UTF-8, UTF-16 or GBK/GB18030: name its encoding with --encoding (e.g. --encoding big5).",
    ),
    "csv_bad_encoding": ("未知编码：{encoding}", "Unknown encoding {encoding!r}"),
    "csv_syntax": ("{file}:{line}: CSV 格式错误（{error}）", "{file}:{line}: not valid CSV ({error})"),
    "csv_missing": ("找不到文件：{file}", "No such file: {file}"),
    "csv_empty": ("{file} 是空文件。", "{file} is empty."),
    "csv_empty_folder": (
        "{folder} 里没有 customers.csv、people.csv、touchpoints.csv 或 promises.csv。",
        "{folder} holds none of customers.csv, people.csv, touchpoints.csv, promises.csv.",
    ),
    "csv_header_unknown": (
        "{file} 的表头不认识（{header}）：编码可能不对，请用 --encoding 指定。",
        "{file}: the header names no known column ({header}): the encoding may be wrong; name it with --encoding.",
    ),
    "csv_no_table": (
        "{file}：无法从表头判断是哪张表，请用 --table 指定。",
        "{file}: the header does not tell which table this is: name it with --table.",
    ),
    "csv_ambiguous_table": (
        "{file}：表头同时符合 {tables}，请用 --table 指定。",
        "{file}: the header fits {tables}: name the table with --table.",
    ),
    "csv_unknown_columns": (
        "{file}：未知的列 {columns}。可用：{accepted}",
        "{file}: unknown column(s) {columns}. Accepted: {accepted}",
    ),
    "csv_blank_column": ("（空，第 {number} 列）", "(empty: column {number})"),
    "csv_more_columns": ("……另有 {count} 列", " … and {count} more"),
    "csv_nul": (
        "{file}:{line}: 含有 NUL 字符（\\0），账本无法保存：文件可能不是文本或已损坏。未写入任何内容。",
        "{file}:{line}: holds a NUL character (\\0), which a book cannot store: the file may not be text, "
        "or is damaged. Nothing was written.",
    ),
    "csv_missing_columns": ("{file}：缺少必需的列 {columns}", "{file}: required column(s) missing: {columns}"),
    "csv_duplicate_columns": ("{file}：列重复 {columns}", "{file}: column(s) given twice: {columns}"),
    "csv_field_count": ("应有 {expected} 个字段，实际 {found} 个", "expected {expected} fields, found {found}"),
    "csv_duplicate_row": ("与文件中前面的一行重复", "duplicates an earlier row of this file"),
    "csv_unknown_customer": (
        "没有名为 {name} 的客户（可加 --create-missing 自动创建）",
        "no customer named {name!r} (add --create-missing to create it)",
    ),
    "csv_unknown_person": (
        "该客户没有名为 {name} 的决策人（可加 --create-missing）",
        "this customer has no person {name!r} (add --create-missing to create them)",
    ),
    "csv_unknown_touchpoint": ("该客户没有编号为 {id} 的接触", "this customer has no touchpoint {id}"),
    "csv_name_taken": ("名称 {name} 已属于客户 #{id}", "the name {name!r} already belongs to customer #{id}"),
    "csv_stage_differs": (
        "账本里是 {stage}：阶段只能用 kehu advance / drop / reopen 改变",
        "the book has {stage}: change stages with kehu advance / drop / reopen",
    ),
    "csv_next_pair": ("下一步和截止日期要一起填", "next and next_due go together"),
    "csv_required": ("必填", "required"),
    "csv_paid_above": ("已付 {paid} 超过该期金额 {amount}", "paid {paid} is more than the instalment's {amount}"),
    "csv_kept_and_broken": ("不能既兑现又作废", "cannot be both kept and broken"),
    "csv_before_made": ("早于承诺日期 {made}", "before the day it was made ({made})"),
    "csv_failed": (
        "{count} 处错误，未写入任何内容。",
        "{count} problem(s): nothing was written.",
    ),
    "csv_more_errors": ("……另有 {count} 处错误", "... and {count} more"),
    "csv_done": (
        "{file}（{table}）：新增 {new}，更新 {updated}，未变 {unchanged}",
        "{file} ({table}): {new} new, {updated} updated, {unchanged} unchanged",
    ),
    "csv_dry_run": ("（试运行：未写入任何内容）", "(dry run: nothing was written)"),
    "csv_private_warning": (
        "注意：导出包含决策人的私密信息，请妥善保管该文件。",
        "Warning: the export includes people's private details; keep the file safe.",
    ),
    # Excel workbooks (kehu import FILE.xlsx, kehu export --xlsx)
    "xlsx_unreadable": (
        "{file} 不是能读取的 Excel 工作簿（.xlsx）：文件可能已损坏、加了密码，或其实是别的格式。",
        "{file} is not an Excel workbook kehu can read (.xlsx): it may be damaged, password-protected or "
        "another format.",
    ),
    "xlsx_no_sheet": (
        "{file} 里没有名为 {sheet} 的工作表。已有：{sheets}",
        "{file} has no sheet named {sheet!r}. Its sheets: {sheets}",
    ),
    "xlsx_header_unknown": (
        "{file}：前 {rows} 行里找不到表头（{header}）：表头应有 客户名称、日期 等列名。",
        "{file}: no header row in the first {rows} rows ({header}): a header names columns such as name or date.",
    ),
    "xlsx_outside": (
        "单元格 {cell} 在表头的列之外，却有内容",
        "cell {cell} holds a value but lies outside the header's columns",
    ),
    "xlsx_sheet_not_workbook": (
        "--sheet 只用于 Excel 工作簿（.xlsx）。",
        "--sheet is for Excel workbooks (.xlsx) only.",
    ),
    "xlsx_needs_file": (
        "--xlsx 要写到一个文件，不能是标准输出，也不能和 --out 或 --excel 一起用。",
        "--xlsx writes a file: not standard output, and not together with --out or --excel.",
    ),
    "csv_needs_out": ("导出全部表需要 --out 目录。", "Exporting every table needs --out DIR."),
    "csv_dash_needs_table": (
        "--out - 表示标准输出，只能导出一张表：请加上 --table，或用 --out 目录 导出全部表。",
        "--out - means standard output, which takes one table: add --table, or give --out DIR for every table.",
    ),
}
