"""A probe of Chinese, Korean and Vietnamese names: is the whole name found, surname and given name?

    python scripts/bench_east_asian.py [--model PATH ...]

50 names of Chinese people in pinyin, 15 of Korean people with a hyphenated given name, 20
of Vietnamese people and 20 of Chinese people as Taiwan, Hong Kong and Singapore spell them
(Wade-Giles, Cantonese), surname first as English writes them ("Zhou Enlai", "Zheng He",
"Lao She", "Park Geun-hye", "Ho Chi Minh"), each in four frames written for this project,
tagged one sentence at a time. Prints, per frame, how many are found exactly, and the names
that are not. The network, trained on 1996 news, often finds one of the two words only, or
neither; the decoding rule ``ner_rnn.decode.east_asian`` was written beside this probe, so
it shows what the rule does, not how far it reaches. A probe to look at, not a dev set.
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
KOREAN = (
    "Moon Jae-in|Park Geun-hye|Bong Joon-ho|Son Heung-min|Ban Ki-moon|Kim Dae-jung|Roh Moo-hyun|Lee Myung-bak|"
    "Yoon Suk-yeol|Kim Yu-na|Park Chan-wook|Han Kang|Lee Jae-myung|Chung Ju-yung|Shin Kyuk-ho"
).split("|")
VIETNAMESE = (
    "Ho Chi Minh|Vo Nguyen Giap|Nguyen Phu Trong|Ngo Dinh Diem|Nguyen Van Thieu|Pham Van Dong|Le Duan|"
    "Nguyen Xuan Phuc|Vo Van Thuong|To Lam|Pham Minh Chinh|Nguyen Tan Dung|Truong Tan Sang|Le Kha Phieu|Do Muoi|"
    "Tran Duc Luong|Nguyen Thi Binh|Thich Nhat Hanh|Bao Dai|Nguyen Du"
).split("|")
WADE_GILES = (
    "Sun Yat-sen|Chiang Kai-shek|Tsai Ing-wen|Lee Teng-hui|Ma Ying-jeou|Chen Shui-bian|Lai Ching-te|Soong Mei-ling|"
    "Chiang Ching-kuo|Tung Chee-hwa|Carrie Lam|Lee Hsien Loong|Lee Kuan Yew|Li Ka-shing|Chow Yun-fat|Wong Kar-wai|"
    "Ang Lee|Tsang Yam-kuen|Lin Yu-ting|Hsu Chih-chieh"
).split("|")
FRAMES = (
    "{} was born in 1950.",
    "The writer {} visited Shanghai in 1990.",
    "Officials said {} would attend the summit.",
    "A statement from {} was read aloud.",
)
SHORT_FRAMES = (
    "The writer {} visited Paris in 1990.",
    "A statement from {} was read aloud.",
    "{} said on Tuesday that talks would resume.",
    "we had dinner with {} last night",
)


def main() -> None:
    for tagger in each_model(__doc__.split("\n")[1]):
        groups = ((NAMES, FRAMES), (KOREAN, SHORT_FRAMES), (VIETNAMESE, SHORT_FRAMES), (WADE_GILES, SHORT_FRAMES))
        for names, frames in groups:
            total = 0
            for frame in frames:
                docs = tagger.tag_texts([frame.format(n) for n in names])
                missed = [n for n, d in zip(names, docs) if n not in [e.text for e in d.entities]]
                found = len(names) - len(missed)
                total += found
                print(f"{frame:45} {found:2}/{len(names)}  not found whole: {', '.join(missed) or '-'}")
            print(f"{'all':45} {total:3}/{len(names) * len(frames)}")


if __name__ == "__main__":
    main()
