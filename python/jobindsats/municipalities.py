"""The 98 Danish municipalities (kommuner) since 2007: official 3-digit code and name.

Public facts (Danmarks Statistik / DAGI). ``999`` is the project's "uoplyst" (unknown
residence, SPEC R42) and ``0`` the national total in outputs; neither is a municipality.
``POPULATION`` holds approximate inhabitants (1 January 2024, rounded to thousands); it only
weights the synthetic generator and decides nothing in the measurement.
"""

from __future__ import annotations

MUNICIPALITIES: dict[int, str] = {
    101: "København", 147: "Frederiksberg", 151: "Ballerup", 153: "Brøndby",
    155: "Dragør", 157: "Gentofte", 159: "Gladsaxe", 161: "Glostrup", 163: "Herlev",
    165: "Albertslund", 167: "Hvidovre", 169: "Høje-Taastrup", 173: "Lyngby-Taarbæk",
    175: "Rødovre", 183: "Ishøj", 185: "Tårnby", 187: "Vallensbæk", 190: "Furesø",
    201: "Allerød", 210: "Fredensborg", 217: "Helsingør", 219: "Hillerød",
    223: "Hørsholm", 230: "Rudersdal", 240: "Egedal", 250: "Frederikssund",
    253: "Greve", 259: "Køge", 260: "Halsnæs", 265: "Roskilde", 269: "Solrød",
    270: "Gribskov", 306: "Odsherred", 316: "Holbæk", 320: "Faxe", 326: "Kalundborg",
    329: "Ringsted", 330: "Slagelse", 336: "Stevns", 340: "Sorø", 350: "Lejre",
    360: "Lolland", 370: "Næstved", 376: "Guldborgsund", 390: "Vordingborg",
    400: "Bornholm", 410: "Middelfart", 420: "Assens", 430: "Faaborg-Midtfyn",
    440: "Kerteminde", 450: "Nyborg", 461: "Odense", 479: "Svendborg",
    480: "Nordfyns", 482: "Langeland", 492: "Ærø", 510: "Haderslev", 530: "Billund",
    540: "Sønderborg", 550: "Tønder", 561: "Esbjerg", 563: "Fanø", 573: "Varde",
    575: "Vejen", 580: "Aabenraa", 607: "Fredericia", 615: "Horsens", 621: "Kolding",
    630: "Vejle", 657: "Herning", 661: "Holstebro", 665: "Lemvig", 671: "Struer",
    706: "Syddjurs", 707: "Norddjurs", 710: "Favrskov", 727: "Odder", 730: "Randers",
    740: "Silkeborg", 741: "Samsø", 746: "Skanderborg", 751: "Aarhus",
    756: "Ikast-Brande", 760: "Ringkøbing-Skjern", 766: "Hedensted", 773: "Morsø",
    779: "Skive", 787: "Thisted", 791: "Viborg", 810: "Brønderslev",
    813: "Frederikshavn", 820: "Vesthimmerland", 825: "Læsø", 840: "Rebild",
    846: "Mariagerfjord", 849: "Jammerbugt", 851: "Aalborg", 860: "Hjørring",
}  # fmt: skip

UNKNOWN_MUNICIPALITY = 999
NATIONAL = 0

# Filled in by the synthetic-population work (approximate, thousands of inhabitants).
POPULATION: dict[int, int] = {
    101: 660, 147: 104, 151: 52, 153: 39, 155: 14, 157: 75, 159: 70, 161: 24, 163: 30,
    165: 28, 167: 54, 169: 57, 173: 57, 175: 41, 183: 24, 185: 44, 187: 17, 190: 42,
    201: 26, 210: 41, 217: 64, 219: 53, 223: 25, 230: 57, 240: 44, 250: 46, 253: 52,
    259: 63, 260: 32, 265: 90, 269: 24, 270: 42, 306: 33, 316: 73, 320: 38, 326: 49,
    329: 36, 330: 80, 336: 24, 340: 31, 350: 29, 360: 40, 370: 84, 376: 60, 390: 46,
    400: 39, 410: 40, 420: 41, 430: 52, 440: 24, 450: 33, 461: 209, 479: 59, 480: 30,
    482: 12, 492: 6, 510: 56, 530: 27, 540: 74, 550: 37, 561: 116, 563: 3, 573: 50,
    575: 43, 580: 59, 607: 52, 615: 99, 621: 95, 630: 122, 657: 90, 661: 59, 665: 19,
    671: 21, 706: 43, 707: 37, 710: 50, 727: 23, 730: 100, 740: 98, 741: 4, 746: 65,
    751: 367, 756: 42, 760: 56, 766: 48, 773: 20, 779: 46, 787: 43, 791: 98, 810: 36,
    813: 58, 820: 36, 825: 2, 840: 31, 846: 41, 849: 38, 851: 222, 860: 64,
}  # fmt: skip


def municipality_name(code: int) -> str:
    """Name of a municipality code, including the output pseudo-codes 0 and 999."""
    if code == NATIONAL:
        return "Hele landet"
    if code == UNKNOWN_MUNICIPALITY:
        return "Uoplyst"
    return MUNICIPALITIES[code]
