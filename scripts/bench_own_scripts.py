"""A probe of names given in their own script beside the English spelling, as encyclopedic text gives them.

    python scripts/bench_own_scripts.py [--model PATH ...]

30 people whose names are written in Cyrillic, Greek, Arabic, Hebrew, Devanagari, Bengali,
Chinese, Japanese, Korean, Thai, Georgian, Armenian and Amharic, each in three frames written
for this project: the English name with its own-script form in brackets after it, with and
without a label ("Leo Tolstoy (Russian: Лев Николаевич Толстой) was ..."), and the other way
round ("毛泽东 (Mao Zedong) was ..."), tagged one line at a time. A line counts when exactly
the two names are found, each whole. Prints, per frame, how many lines do, and the rest. The
decoding rule ``ner_rnn.decode.own_scripts`` was written beside this probe, so it shows what
the rule does, not how far it reaches. A probe to look at, not a dev set.
"""

from __future__ import annotations

from bench_surnames import each_model  # scripts/bench_surnames.py

# English spelling | label | own script
PEOPLE = """\
Leo Tolstoy|Russian|Лев Толстой
Anna Akhmatova|Russian|Анна Ахматова
Volodymyr Zelenskyy|Ukrainian|Володимир Зеленський
Svetlana Alexievich|Belarusian|Святлана Алексіевіч
Nikola Tesla|Serbian|Никола Тесла
Alexis Tsipras|Greek|Αλέξης Τσίπρας
Melina Mercouri|Greek|Μελίνα Μερκούρη
Gamal Abdel Nasser|Arabic|جمال عبد الناصر
Naguib Mahfouz|Arabic|نجيب محفوظ
Umm Kulthum|Arabic|أم كلثوم
Golda Meir|Hebrew|גולדה מאיר
David Ben-Gurion|Hebrew|דוד בן-גוריון
Narendra Modi|Hindi|नरेन्द्र मोदी
Lata Mangeshkar|Marathi|लता मंगेशकर
Rabindranath Tagore|Bengali|রবীন্দ্রনাথ ঠাকুর
Mao Zedong|Chinese|毛泽东
Lu Xun|Chinese|鲁迅
Deng Xiaoping|Chinese|邓小平
Shinzo Abe|Japanese|安倍 晋三
Haruki Murakami|Japanese|村上 春樹
Akira Kurosawa|Japanese|黒澤 明
Moon Jae-in|Korean|문재인
Han Kang|Korean|한강
Sejong the Great|Korean|세종대왕
Bhumibol Adulyadej|Thai|ภูมิพลอดุลยเดช
Shota Rustaveli|Georgian|შოთა რუსთაველი
Aram Khachaturian|Armenian|Արամ Խաչատրյան
Haile Gebrselassie|Amharic|ኃይሌ ገብረሥላሴ
Reza Shah|Persian|رضا شاه
Omar Khayyam|Persian|عمر خیام
"""
FRAMES = (
    "{name} ({label}: {own}) was born in {year}.",
    "{name} ({own}; born {year}) is widely known.",
    "{own} ({name}) was born in {year}.",
)


def main() -> None:
    people = [line.split("|") for line in PEOPLE.splitlines()]
    for tagger in each_model(__doc__.split("\n")[1]):
        total = 0
        for frame in FRAMES:
            lines = [frame.format(name=n, label=lab, own=o, year=1900 + i) for i, (n, lab, o) in enumerate(people)]
            docs = tagger.tag_texts(lines)
            wrong = []
            for (n, _, o), d in zip(people, docs):
                got = sorted(e.text for e in d.entities)
                if got != sorted([n, o]):
                    wrong.append(f"{n}: {got}")
            found = len(people) - len(wrong)
            total += found
            print(f"{frame:45} {found:2}/{len(people)}")
            for w in wrong:
                print(f"    {w}")
        print(f"{'all':45} {total:3}/{len(people) * len(FRAMES)}")


if __name__ == "__main__":
    main()
