"""Names that readers search for in any of the site's scripts, with their usual
spellings in English, Japanese, Dari and Pashto. Each line is one name; search
treats every spelling on a line as the same word (see history/search.py).

Spellings that normalisation already joins (Tōkyō and Tokyo, ي and ی, گ and ګ)
need no entry of their own. Keep entries long enough not to occur by chance inside
other words: a two-letter spelling would match half the site.
"""

GLOSSARY = (
    # Countries
    ("Afghanistan", "アフガニスタン", "افغانستان"),
    ("Japan", "日本", "جاپان", "ژاپن"),
    # Places in Afghanistan
    ("Kabul", "カブール", "カーブル", "کابل"),
    ("Kandahar", "Qandahar", "カンダハール", "カンダハル", "کندهار", "قندهار"),
    ("Herat", "ヘラート", "هرات"),
    ("Mazar-i-Sharif", "Mazar-e-Sharif", "マザーリシャリーフ", "マザリシャリフ", "مزار شریف", "مزارشریف"),
    ("Jalalabad", "ジャラーラーバード", "ジャララバード", "جلال آباد", "جلال‌آباد"),
    ("Bamiyan", "Bamyan", "バーミヤン", "バーミアン", "بامیان"),
    ("Kapisa", "カピサ", "کاپیسا"),
    ("Nangarhar", "ナンガルハール", "ننگرهار"),
    # Places elsewhere in the story
    ("Tokyo", "東京", "توکیو"),
    ("Islamabad", "イスラマバード", "اسلام آباد"),
    ("Doha", "ドーハ", "دوحه"),
    # Organisations
    ("JICA", "ジャイカ", "国際協力機構", "جایکا"),
    ("UNESCO", "ユネスコ", "یونسکو"),
    ("UNICEF", "ユニセフ", "یونیسف"),
    ("UNDP", "国連開発計画"),
    ("Taliban", "タリバン", "タリバーン", "طالبان"),
    # People
    ("Karzai", "カルザイ", "کرزی"),
    ("Ogata", "緒方", "اوګاتا"),
    # Pashto spellings of the month Sawr (calendars.md)
    ("غویی", "غوایي"),
)
