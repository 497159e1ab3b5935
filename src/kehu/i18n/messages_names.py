"""Messages of the names customers go by: lookups that find none or several, aliases,
likely duplicates, merges."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "customer_not_found_near": (
        "找不到客户：{ref}。是不是：{candidates}？",
        "No customer matches {ref!r}. Did you mean {candidates}?",
    ),
    "customer_name_is_alias": (
        "这个名称已是客户 #{id} {name} 的简称：一个名称只能指一个客户。可用 kehu alias remove 先删除该简称。",
        "That name is already an alias of #{id} {name}: one name means one customer. `kehu alias remove` frees it.",
    ),
    "alias_is_the_name": (
        "“{name}”就是这个客户的名称，无需再加简称。",
        "{name!r} is the customer's name already: no alias needed.",
    ),
    "alias_exists": (
        "#{id} {name} 已有简称“{alias}”。",
        "#{id} {name} already has the alias {alias!r}.",
    ),
    "alias_is_a_customer": (
        "“{alias}”是另一个客户 #{id} {name} 的名称：一个名称只能指一个客户。若它们是同一客户，用 kehu merge 合并。",
        "{alias!r} is the name of another customer, #{id} {name}: one name means one customer. If they are the same "
        "customer, `kehu merge` joins them.",
    ),
    "alias_taken": (
        "简称“{alias}”已属于客户 #{id} {name}：一个简称只能指一个客户。",
        "The alias {alias!r} belongs to #{id} {name} already: one alias means one customer.",
    ),
    "alias_not_found": (
        "没有简称“{alias}”。kehu alias list 列出全部简称。",
        "There is no alias {alias!r}. `kehu alias list` shows them all.",
    ),
    "alias_added": (
        "已为 #{id} {name} 添加简称“{alias}”",
        "Alias {alias!r} added to #{id} {name}",
    ),
    "alias_removed": (
        "已删除 #{id} {name} 的简称“{alias}”",
        "Alias {alias!r} of #{id} {name} removed",
    ),
    "aliases_none": ("还没有简称。用 kehu alias add 简称 客户 添加。", "No aliases yet. `kehu alias add ALIAS CUSTOMER` adds one."),
    "similar_customer": (
        "注意：已有相似的客户 #{id} {name}（{reason}）。若是同一客户，可用 kehu merge {id} {new} 合并。",
        "Note: a similar customer exists, #{id} {name} ({reason}). If it is the same one, `kehu merge {id} {new}` "
        "joins them.",
    ),
    "similar_customer_alias": (
        "注意：已有相似的客户 #{id} {name}（{reason}）。",
        "Note: a similar customer exists, #{id} {name} ({reason}).",
    ),
    "similar_created": (
        "注意：将新建的客户“{new}”与已有客户 #{id} {name} 相似（{reason}）。若是同一客户，请在文件中改用已有名称，或导入后用 kehu merge 合并。",
        "Note: the customer to be created, {new!r}, is similar to #{id} {name} ({reason}). If it is the same one, "
        "use the existing name in the file, or join them with `kehu merge` after the import.",
    ),
    "similar_more": (
        "另有 {count} 个新建客户与已有客户相似：kehu dupes 列出全部。",
        "{count} more created customers look like existing ones: `kehu dupes` lists them all.",
    ),
    "csv_name_is_alias": (
        "“{name}”已是客户 #{id} 的简称：一个名称只能指一个客户。请改用该客户的名称或编号，或先删除该简称",
        "{name!r} is an alias of customer #{id}: one name means one customer. Use that customer's name or id, or "
        "remove the alias first",
    ),
    "csv_alias_taken": (
        "简称“{alias}”已是客户 #{id} 的名称或简称：一个名称只能指一个客户",
        "the alias {alias!r} is the name or an alias of customer #{id} already: one name means one customer",
    ),
    "dupes_none": ("没有发现疑似重复的客户。", "No likely duplicate customers found."),
    "merge_same": ("不能把客户 #{id} {name} 与它自己合并。", "Cannot merge #{id} {name} with itself."),
    "merge_same_person": ("不能把决策人 #{id} {name} 与自己合并。", "Cannot merge person #{id} {name} with themselves."),
    "merge_owners": (
        "不能合并：{keep} 属于 {keep_owner}，{gone} 属于 {gone_owner}。请先用 kehu assign 把它们交给同一位销售。",
        "Cannot merge: {keep} belongs to {keep_owner} and {gone} to {gone_owner}. Hand them to one salesperson with "
        "`kehu assign` first.",
    ),
    "merged": (
        "已把 #{gone_id} {gone} 合并进 #{id} {name}：{moved}。“{gone}”已成为它的简称。",
        "Merged #{gone_id} {gone} into #{id} {name}: {moved}. {gone!r} is now its alias.",
    ),
    "merge_would": (
        "（预演，未改动）将把 #{gone_id} {gone} 合并进 #{id} {name}：{moved}。",
        "(dry run, nothing changed) Would merge #{gone_id} {gone} into #{id} {name}: {moved}.",
    ),
    "merge_people_joined": (
        "两边都有的决策人将合为一人：{names}。",
        "People at both become one each: {names}.",
    ),
    "merge_fields": (
        "从被合并的客户补上的字段：{fields}。",
        "Fields filled from the merged customer: {fields}.",
    ),
    "merge_stage": (
        "被合并的客户处于{gone_stage}，保留的客户处于{stage}：阶段不变，可用 kehu advance 推进。",
        "The merged customer was at {gone_stage}, the kept one is at {stage}: the stage is unchanged; "
        "`kehu advance` moves it on.",
    ),
    "person_merged": (
        "已把决策人 #{gone_id} {gone} 合并进 #{id} {name}（{customer}）：{touches} 次接触改记在 {name} 名下。",
        "Merged person #{gone_id} {gone} into #{id} {name} ({customer}): {touches} touchpoints now name {name}.",
    ),
    "person_merge_would": (
        "（预演，未改动）将把决策人 #{gone_id} {gone} 合并进 #{id} {name}（{customer}）：{touches} 次接触改记在 {name} 名下。",
        "(dry run, nothing changed) Would merge person #{gone_id} {gone} into #{id} {name} ({customer}): "
        "{touches} touchpoints would name {name}.",
    ),
}

# Why two customers look alike (kehu.rules.company.likeness).
REASONS: dict[str, tuple[str, str]] = {
    "same_core": ("去掉地区和公司类型后名称相同", "the same name apart from region and legal form"),
    "same_brand": ("品牌相同", "the same brand"),
    "contains": ("一个名称包含另一个", "one name contains the other"),
    "well_known": ("常用简称", "a well-known short name"),
}

# What a merge moves, as counted by kehu.store.names.plan_merge.
MOVED: dict[str, tuple[str, str]] = {
    "people": ("决策人", "people"),
    "touches": ("接触", "touchpoints"),
    "promises": ("承诺", "promises"),
    "contracts": ("合同", "contracts"),
    "events": ("历史记录", "history entries"),
    "tasks": ("阶段任务", "stage tasks"),
    "aliases": ("简称", "aliases"),
}

# The fields a merge fills on the customer kept (kehu.store.names).
FIELDS: dict[str, tuple[str, str]] = {
    "industry": ("行业", "industry"),
    "region": ("地区", "region"),
    "kind": ("类型", "kind"),
    "level": ("关系类型", "relationship level"),
    "value_cents": ("年价值", "annual value"),
    "profit_now": ("当前盈利", "current profit"),
    "profit_future": ("未来潜力", "future potential"),
    "service_cost": ("服务成本", "service cost"),
    "address": ("地址", "address"),
    "phone": ("电话", "phone"),
    "website": ("网址", "website"),
    "note": ("备注", "note"),
}
