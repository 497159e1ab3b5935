"""kehu (客户): a terminal account book for B2B key-account salespeople."""

__version__ = "0.1.0"
