# Django ships no Pashto formats; these follow Babel's ps locale.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y/n/j"
DATETIME_FORMAT = "j F Y H:i"
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 6
