"""A probe of places alone at the start of a sentence, and of people named like places.

    python scripts/bench_places.py [--model PATH ...]

A sentence alone that opens on a capitalised word looks, to a network that learned from
news documents, much like one that opens on a name: "Bamako has a population of ..." gave
"[Bamako]" (P(name) 0.7 to 0.98). Three groups of words written for this project, each in
five frames, tagged one line at a time:

- countries, and capitals and large cities: the decoding rule
  ``ner_rnn.decode.places_and_groups`` knows most of them (ner_rnn/places.txt, from GeoNames), so these show what the rule does;
- regions, islands, provinces and historic places, which it does not know: how far the
  network gets alone;
- people whose names are, or hold, a place ("Jordan", "Georgia O'Keeffe", "Paris Hilton"),
  which must stay names.

Prints, per group and frame, how many lines come out right (no name in a line about a
place; the person's name whole), and the wrong ones. A probe to look at, not a dev set.
"""

from __future__ import annotations

from bench_surnames import each_model  # scripts/bench_surnames.py

COUNTRIES = """
    Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh
    Belarus Belgium Belize Benin Bhutan Bolivia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon
    Canada Chile China Colombia Comoros Croatia Cuba Cyprus Denmark Djibouti Dominica Ecuador Egypt Eritrea
    Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Germany Ghana Greece Grenada Guatemala Guinea
    Guyana Haiti Honduras Hungary Iceland Indonesia Iran Iraq Ireland Italy Jamaica Japan Kazakhstan Kiribati
    Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg
    Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco
    Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Nicaragua Niger Nigeria Norway Oman
    Pakistan Palau Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Senegal
    Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria Taiwan
    Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine Uruguay
    Uzbekistan Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe
""".split()
CITIES = """
    Kabul Tirana Algiers Luanda Yerevan Canberra Vienna Baku Manama Dhaka Minsk Brussels Thimphu Gaborone
    Bujumbura Yaounde Ottawa Beijing Bogota Havana Nicosia Copenhagen Quito Cairo Asmara Tallinn Helsinki
    Libreville Banjul Tbilisi Berlin Accra Athens Conakry Budapest Reykjavik Jakarta Tehran Baghdad Dublin Rome
    Amman Astana Nairobi Pristina Vientiane Riga Beirut Maseru Monrovia Tripoli Vilnius Antananarivo Lilongwe
    Bamako Valletta Nouakchott Chisinau Ulaanbaatar Podgorica Rabat Maputo Windhoek Kathmandu Amsterdam Managua
    Niamey Abuja Oslo Muscat Islamabad Manila Warsaw Lisbon Doha Bucharest Moscow Kigali Apia Dakar Belgrade
    Bratislava Ljubljana Mogadishu Madrid Khartoum Paramaribo Stockholm Bern Damascus Taipei Dushanbe Dodoma
    Bangkok Lome Tunis Ankara Ashgabat Kampala Kyiv Montevideo Tashkent Caracas Hanoi Lusaka Harare Karachi
    Mumbai Delhi Kolkata Chennai Shanghai Osaka Seoul Busan Istanbul Johannesburg Durban Melbourne Toronto
    Montreal Vancouver Chicago Seattle Detroit Nashville Baltimore Milwaukee Albuquerque Tucson Fresno
""".split()
REGIONS = """
    Scandinavia Siberia Patagonia Bavaria Catalonia Tuscany Sicily Sardinia Corsica Crete Kashmir Punjab Tibet
    Xinjiang Manchuria Chechnya Dagestan Crimea Transylvania Flanders Wallonia Ontario Manitoba Saskatchewan
    Yukon Queensland Tasmania Borneo Sumatra Java Bali Luzon Mindanao Hokkaido Okinawa Normandy Brittany
    Provence Andalusia Galicia Lombardy Piedmont Bohemia Moravia Silesia Anatolia Kurdistan Darfur Gaza Sinai
    Galilee Judea Mesopotamia Persia Prussia Byzantium Babylon Carthage Sparta Kandahar Aleppo Homs Mosul
    Fallujah Benghazi Misrata Timbuktu Zanzibar Marrakesh Alexandria Luxor Aswan Mombasa Kinshasa
""".split()
PLACE_FRAMES = (
    "{} is named after him.",
    "{} won the match 2-1.",
    "The president of {} arrived on Monday.",
    "{} has a population of ten million.",
    "{} and its neighbours signed the treaty.",
)
PEOPLE = (
    "Jordan", "Chad", "Georgia", "Austin", "Charlotte", "Victoria", "Sydney", "Paris", "Kenya", "Dallas",
    "Georgia O'Keeffe", "Paris Hilton", "Kenya Moore", "Irving Berlin", "Chad Johnson", "Israel Kamakawiwo'ole",
    "Dakota Johnson", "Florence Nightingale", "India Arie", "Washington Irving",
)  # fmt: skip
PERSON_FRAMES = (
    "{} said she would call back tomorrow.",
    "Thanks, {}, for the update.",
    "{} scored 30 points on Sunday.",
    "I met {} at the party.",
    "We asked {} about the plan.",
)


def main() -> None:
    groups = (("countries", COUNTRIES, PLACE_FRAMES, False), ("capitals and cities", CITIES, PLACE_FRAMES, False),
              ("regions and others", REGIONS, PLACE_FRAMES, False), ("people", PEOPLE, PERSON_FRAMES, True))  # fmt: skip
    for tagger in each_model(__doc__.split("\n")[1]):
        for group, words, frames, person in groups:
            total = 0
            for frame in frames:
                docs = tagger.tag_texts([frame.format(w) for w in words])
                wrong = []
                for w, d in zip(words, docs):
                    got = [e.text for e in d.entities]
                    if got != ([w] if person else []):
                        wrong.append(w if not person else f"{w}: {got}")
                right = len(words) - len(wrong)
                total += right
                print(f"{group:20} {frame:42} {right:3}/{len(words)}  {', '.join(wrong)}")
            print(f"{group:20} {'all':42} {total:3}/{len(words) * len(frames)}")


if __name__ == "__main__":
    main()
