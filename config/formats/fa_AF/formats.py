# Django ships no Dari formats (it falls back to fa); these follow Babel's fa_AF locale.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y/n/j"
DATETIME_FORMAT = "j F Y H:i"
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 6
