"""A probe of Chinese names in pinyin: is the whole name found, surname and given name?

    python scripts/bench_chinese_names.py [--model PATH ...]

50 names of Chinese people, surname first as English writes them ("Zhou Enlai", "Zheng He",
"Lao She", "Sun Yat-sen"), each in four frames written for this project, tagged one sentence
at a time. Prints, per frame, how many are found exactly, and the names that are not. The
network, trained on 1996 news, often finds one of the two words only; the decoding rule of
``ner_rnn.conventions.is_chinese_name`` was written beside this probe, so it shows what the
rule does, not how far it reaches. A probe to look at, not a dev set.
"""

from __future__ import annotations

from bench_surnames import each_model  # scripts/bench_surnames.py

NAMES = (
    "Zhou Enlai|Deng Xiaoping|Li Peng|Jiang Zemin|Hu Jintao|Wen Jiabao|Xi Jinping|Li Keqiang|Wang Yi|Zhu Rongji|"
    "Liu Shaoqi|Lin Biao|Zhao Ziyang|Hua Guofeng|Sun Yat-sen|Chiang Kai-shek|Lu Xun|Ba Jin|Lao She|Mo Yan|"
    "Yao Ming|Li Na|Lang Ping|Zhang Yimou|Gong Li|Ai Weiwei|Zheng He|Zhu Xi|Wang Wei|Du Fu|Li Bai|Su Shi|Cao Cao|"
    "Liu Bei|Sun Quan|Yue Fei|Wu Zetian|Han Zheng|Wang Qishan|Liu He|Yang Jiechi|Zhang Gaoli|Ma Kai|Li Qiang|"
    "Ding Xuexiang|Cai Qi|Zhao Leji|Wang Huning|Chen Yi|Fu Ying"
).split("|")
FRAMES = (
    "{} was born in 1950.",
    "The writer {} visited Shanghai in 1990.",
    "Officials said {} would attend the summit.",
    "A statement from {} was read aloud.",
)


def main() -> None:
    for tagger in each_model(__doc__.split("\n")[1]):
        total = 0
        for frame in FRAMES:
            docs = tagger.tag_texts([frame.format(n) for n in NAMES])
            missed = [n for n, d in zip(NAMES, docs) if n not in [e.text for e in d.entities]]
            total += len(NAMES) - len(missed)
            print(f"{frame:45} {len(NAMES) - len(missed):2}/{len(NAMES)}  not found whole: {', '.join(missed) or '-'}")
        print(f"{'all':45} {total:3}/{len(NAMES) * len(FRAMES)}")


if __name__ == "__main__":
    main()
