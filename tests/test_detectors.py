"""Detectors of the default pack, positive and negative fixtures side by side, with spans."""

from __future__ import annotations

import datetime

import pytest

from policy.normalize import Shadow


def detect(policy, text: str) -> dict[str, list[str]]:
    """Detector id -> the original text of each hit."""
    found = policy._detect(text, Shadow.of(text))
    return {name: [text[s:e] for s, e in presence.spans] for name, presence in found.items()}


@pytest.mark.parametrize(
    ("text", "detector", "hit"),
    [
        ("Call me at (212) 555-0199 tonight", "phone", "(212) 555-0199"),
        ("appelle-moi au 06 12 34 56 78 ce soir", "phone", "06 12 34 56 78"),
        ("Llámame al +34 612 34 56 78", "phone", "+34 612 34 56 78"),
        ("text me 5551234567 after work", "phone", "5551234567"),
        ("my SSN is 536-22-8079", "national_id", "536-22-8079"),
        ("her social insurance number 046 454 286 is on file", "national_id", "046 454 286"),
        ("DNI 12345678Z del solicitante", "national_id", "12345678Z"),
        ("NI number AB 12 34 56 C", "national_id", "AB 12 34 56 C"),
        ("my national insurance number QZ 61 40 27 B is wrong", "national_id", "QZ 61 40 27 B"),
        ("tax file number 123 456 782 on the form", "national_id", "123 456 782"),
        ("a CABINET-IN-CONFIDENCE folder on the printer", "marking", "CABINET-IN-CONFIDENCE"),
        ("le dossier PROTÉGÉ A est sur la table", "marking", "PROTÉGÉ A"),
        ("card 4111 1111 1111 1111 exp 09/29", "payment_card", "4111 1111 1111 1111"),
        ("write to jane.doe@gmail.com", "email", "jane.doe@gmail.com"),
        ("she lives at 42 Elm Street now", "street_address", "42 Elm Street"),
        ("il habite 12 rue des Lilas", "street_address", "12 rue des Lilas"),
        ("vive en calle Mayor 5", "street_address", "calle Mayor 5"),
        ("DOB 04/12/1987 on the form", "date_of_birth", "04/12/1987"),
        ("née le 3 mars 1990 à Lyon", "date_of_birth", "3 mars 1990"),
        ("wifi password is Tr0ub4dor! for guests", "credential", "password is Tr0ub4dor!"),
        ("the door code is 4471# btw", "credential", "door code is 4471#"),
        ("the shared creds are opsadmin / Harbor#77 till Monday", "credential", "creds are opsadmin / Harbor#77"),
        ("je vous mets mes identifiants : jdupont / Soleil2025", "credential", "identifiants : jdupont / Soleil2025"),
        ("key sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "credential", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        ("the SECRET//NOFORN annex", "marking", "SECRET//NOFORN"),
        ("marked FOUO, do not share", "marking", "marked FOUO"),
        ("claim no. 2024-55817 for Mr Diaz", "case_number", "claim no. 2024-55817"),
        ("Alt text: a red fire truck", "alt_text", "Alt text"),
        ("Horario nuevo [Descripción: mapa de la línea 3]", "alt_text", "[Descripción:"),
        ("reach my sister on 7O3-555-O18l before noon", "phone", "7O3-555-O18l"),
        ("Mi hermana vende pan, pídanle al +52 1 55 1234 5678", "phone", "+52 1 55 1234 5678"),
        ("call 555-123-4567 or 555-987-6543 after five", "phone", "555-987-6543"),
        ("my flight number is UA12, call me at 555-123-4567 when you land", "phone", "555-123-4567"),
        (
            "his social: six one three, two two, eight zero seven nine",
            "national_id",
            "six one three, two two, eight zero seven nine",
        ),
        (
            "the card: four one one one, one one one one, one one one one, one one one one",
            "payment_card",
            "four one one one, one one one one, one one one one, one one one one",
        ),
        ("drop it at 88 E. Walnut Ave by six", "street_address", "88 E. Walnut Ave"),
        ("meet at 2300 Hwy 12 after", "street_address", "2300 Hwy 12"),
        ("il loge avenue des Tilleuls 17 depuis mai", "street_address", "avenue des Tilleuls 17"),
        ("vive en Av. Corrientes 3150", "street_address", "Av. Corrientes 3150"),
        ("heads up, the gate code is now 5520", "credential", "gate code is now 5520"),
        ("le nouveau code est 8842 depuis lundi", "credential", "nouveau code est 8842"),
        ("disarm the alarm with 4471 when you come in", "credential", "disarm the alarm with 4471"),
        ("desactiva la alarma con 9034 al entrar", "credential", "desactiva la alarma con 9034"),
        ("new #waterquality report", "lowercase_hashtag", "#waterquality"),
        ("ce week-end, #sécuritéroutière sur l'A7", "lowercase_hashtag", "#sécuritéroutière"),
        ("hoy toca #seguridadvial en las escuelas", "lowercase_hashtag", "#seguridadvial"),
        ("reach me: rob dot kane 77 at hotmail dot com", "email", "rob dot kane 77 at hotmail dot com"),
        ("écrivez à lea point roux arobase free point fr", "email", "lea point roux arobase free point fr"),
        (
            "mándame un correo: nico punto vera arroba gmail punto com",
            "email",
            "nico punto vera arroba gmail punto com",
        ),
        ("contact sam.ortiz[at]proton[dot]me.uk today", "email", "sam.ortiz[at]proton[dot]me.uk"),
        ("or write jay . lin @ yahoo . co . uk", "email", "jay . lin @ yahoo . co . uk"),
        (
            "ring me on five one two, three three one, eight zero four four",
            "phone",
            "five one two, three three one, eight zero four four",
        ),
        (
            "llámame: seis uno dos, tres cuatro cinco, seis siete ocho cero",
            "phone",
            "seis uno dos, tres cuatro cinco, seis siete ocho cero",
        ),
        (
            "pour le vélo, sonnez au zéro six, trente et un, quatre-vingt-dix-neuf, douze, quarante",
            "phone",
            "zéro six, trente et un, quatre-vingt-dix-neuf, douze, quarante",
        ),
        (
            "pregunten por Lalo: ochenta y uno, veintitrés, catorce, noventa y seis, once",
            "phone",
            "ochenta y uno, veintitrés, catorce, noventa y seis, once",
        ),
        ("pay with my carte 4970 2288 1366 5401 for the hostel", "payment_card", "4970 2288 1366 5401"),
        ("Horaires d'été. [Image : le plan des trois piscines]", "alt_text", "[Image :"),
        ("La séance est retransmise, sous-titrée en direct.", "alt_text", "sous-titrée"),
        ("the shed opens with code 6619, lock it after", "credential", "with code 6619"),
        (
            "the door code for the staff entrance behind the old gym on the north side of the building is 5521B",
            "credential",
            "door code for the staff entrance behind the old gym on the north side of the building is 5521B",
        ),
        ("the bike room's current code is 3390#", "credential", "current code is 3390#"),
        ("shared inbox for the fair: ops.fair@gmail.com / Harbor2291", "credential", "ops.fair@gmail.com / Harbor2291"),
        ("entrez avec m.girard / Automne2024 en attendant", "credential", "m.girard / Automne2024"),
        ("llámame al 2025-2026 esta tarde", "phone", "2025-2026"),  # labelled: a number, not two years
        ("text me at 555-2026 tonight", "phone", "555-2026"),
        ("Jean : 06 98 76 54 32", "phone", "06 98 76 54 32"),
        ("my cell is 919.555.0127", "phone", "919.555.0127"),
        ("text me 555.0199 tonight", "phone", "555.0199"),
        ("inmate 48213 was moved", "case_number", "inmate 48213"),
        ("CUI//SP-PRVCY staffing plan attached", "marking", "CUI//"),
        ("per the FOUO schedule in my inbox", "marking", "FOUO schedule"),
        ("Training on handling CUI is due Friday", "marking_word", "CUI"),
        ("mon numéro AVS, 756.9217.0769.85, pour la caisse", "national_id", "756.9217.0769.85"),
        ("registre national : 90.02.15-263.27 sur le formulaire", "national_id", "90.02.15-263.27"),
        ("le pasé a mi tía su DNI para el trámite del banco: 24.518.306", "national_id", "24.518.306"),
        ("si tu le vois, son portable 0698765432", "phone", "0698765432"),
        ("she's at 19 Larch Crescent, Bristol BS7 8DY now", "street_address", "19 Larch Crescent"),
        ("nos mudamos a la Carrera 43A #18-25 en Medellín", "street_address", "Carrera 43A #18-25"),
        ("mándenle cartas a Los Aromos 1580, depto 402", "street_address", "Los Aromos 1580, depto 402"),
        ("fecha de nac. 18/07/1985 en la solicitud", "date_of_birth", "18/07/1985"),
        ("the alarm's disarm code is 2580 while we're away", "credential", "disarm code is 2580"),
        ("su CRN es 412 587 239K según la carta", "case_number", "CRN es 412"),
        ("paying with 2221 0000 0000 0009 again", "payment_card", "2221 0000 0000 0009"),
        ("hospital bracelet says DOB: 12-DEC-1995", "date_of_birth", "12-DEC-1995"),
        ("typed DOB 1979/08/30 in the portal", "date_of_birth", "1979/08/30"),
        ("sur ma carte : « Né(e) le : 27.09.1975 »", "date_of_birth", "27.09.1975"),
        ("le digicode a changé, c'est maintenant 2593A", "credential", "digicode a changé, c'est maintenant 2593A"),
        ("Your verification code is 604118", "credential", "verification code is 604118"),
    ],
)
def test_detector_finds_with_span(policy, text, detector, hit):
    assert hit in detect(policy, text).get(detector, [])


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("call 311 or 911 in an emergency", "phone"),
        ("our public hotline 202-555-0100 is open 24/7", "phone"),
        ("ZIP 20500-0003", "phone"),
        ("Order #123456789 shipped", "phone"),
        ("the score was 21-14 in 2024", "phone"),
        ("our posts from 2012–2020 went to the archives", "phone"),
        ("le schéma régional 2026-2030 est publié", "phone"),
        ("les années 2010-2020", "national_id"),
        ("réunion le 05.12.2026 à 14h", "phone"),
        ("filed on 2026-12-05", "phone"),
        ("la loi n° 2021-1109 du 24 août 2021", "phone"),
        ("ticket #4821-3397 is still open", "phone"),
        ("the order in CV-2024-0918 was signed", "phone"),
        ("Canicule Info Service : 0 800 06 66 66", "phone"),
        ("ayudas al alquiler: 900 123 456", "phone"),
        ("read the full Code on GOV.UK first", "credential"),
        ("the rule is at 5 CFR 2635.702", "phone"),
        ("trailhead at 45.5231, -122.6765", "phone"),
        ("the screen is 1920x1080", "phone"),
        ("le budget prévoit 1 250 000 euros", "phone"),
        ("Real Decreto 203/2021, de 30 de marzo", "phone"),
        ("don't forget to file your 1040 by April 15", "case_number"),
        ("inmate programs saw 1,200 graduates", "case_number"),
        ("20% off for school families with code JEFF20", "credential"),
        ("Ada Lovelace, born 10 December 1815, wrote the first program", "date_of_birth"),
        ("pour un nid-de-poule, écrivez à voirie@nantesmetropole.fr", "email"),
        ("interview requests to press@madrid.es", "email"),
        ("Je suis en CUI à la mairie depuis 2019, contrat renouvelé", "marking"),
        ("Training on handling CUI is due Friday for all staff", "marking"),
        ("between 1200-1500 attendees expected", "phone"),
        ("Victor Hugo, né le 26 février 1802 à Besançon", "date_of_birth"),
        ("código de descuento VERANO10 en la tienda", "credential"),
        ("ssn 219-09-9999 is the famous wallet-card number", "national_id"),
        ("tracking 1Z999AA10123456784", "payment_card"),
        ("email permits@city.gov for forms", "email"),
        ("the password to my heart is chocolate", "credential"),
        ("login at 9:30 tomorrow", "credential"),
        ("my grandma's secret recipe", "marking"),
        ("NEW PROTECTED AREA SIGNS ARE UP", "marking"),
        ("postcode QZ 61 40 27 B, then turn left", "national_id"),
        ("order number 123 456 782 shipped", "national_id"),
        ("MY SECRET RECIPE IS OUT", "marking_word"),
        ("the case for more bike lanes is strong", "case_number"),
        ("en caso de incendio, llama al 112", "case_number"),
        ("Parade at 11 AM on Oak Street, as posted", "street_address"),
        ("I bike 12 miles each way to the office", "street_address"),
        ("We moved in 20 years ago to that place", "street_address"),
        ("Bin day moves to 27 December and will take place as usual", "street_address"),
        ("Dimanche, la rue sera fermée aux voitures 15 minutes", "street_address"),
        ("press: our media line, 412-555-0142, is staffed all day", "phone"),
        ("the zip code is 20500 for the office", "credential"),
        ("Use a password manager. Turn on two-step verification.", "credential"),
        ("Le mot de passe : changez-le souvent.", "credential"),
        ("#Library day", "lowercase_hashtag"),
        ("#WaterQuality report", "lowercase_hashtag"),
        ("#recycling starts Monday", "lowercase_hashtag"),
        ("new hours at the #bibliothèque", "lowercase_hashtag"),
        ("nueva campaña de #vacunas", "lowercase_hashtag"),
        ("results tonight #elections2026", "lowercase_hashtag"),
        ("grab one at shopwise.com this week", "email"),
        ("see you at noon. com center opens at one", "email"),
        ("order 4970 2288 1366 5401 shipped today", "payment_card"),
        ("the door code hasn't changed since 2011, everyone knows it", "credential"),
        ("we trusted a gate code from a 2018 review", "credential"),
        ("the report is at health.example/report2024 for all", "credential"),
        ("read it on news.ca / radio2 tonight", "credential"),
        ("un, deux, trois, soleil", "phone"),
        ("on était vingt, puis trente, puis quarante, puis cent à la fête", "phone"),
        ("treinta y dos grados, cuarenta de humedad, y diez de viento, once de la noche", "phone"),
        ("Planning application 24/01876/FUL is out for comment", "phone"),
        ("see the Code of Conduct, section 4.2, on breaks", "credential"),
        ("Code of conduct 2024 training done", "credential"),
        ("a combination of factors 1998 to 2003 broke the league", "credential"),
        ("My login streak on Duolingo is 412 days", "credential"),
        ("Pin this post: the 2025 schedule is on page 3", "credential"),
        ("el código de ética 2025 ya está en la intranet", "credential"),
        ("révisez le code de la route 2026 avant l'examen", "credential"),
        ("La clave del éxito 2025: constancia y café", "credential"),
        ("the numbers were 4 8 15 16 23 42 and I still miss that show", "phone"),
        ("La clave de la felicidad 2026: dormir bien", "credential"),
        ("Item 4 is the Elm Street resurfacing", "street_address"),
        ("the 21st birthday party is on 12/14/2026", "date_of_birth"),
        ("the door code changes on the 3rd, ask Ana", "credential"),
        ("order 0145678912 left the warehouse", "phone"),  # unbroken: a number only as a mobile
        ("le musée a reçu 2 345 678 visiteurs cette année", "phone"),
        ("my credentials expired again, IT says Monday", "credential"),
        ("Le digicode de la porte de la sous-préfecture, il a changé ?", "credential"),
        ("El código de la puerta de atrás, ¿sigue siendo el mismo?", "credential"),
        ("reach me on Signal, username riverbeat.42", "credential"),
        ("el padrón llega a 12 345 678 habitantes", "phone"),
        ("building permit 2024 556 7781 came through today", "phone"),
        ("Tracking number 1Z 999 AA1 01 2345 6784 says Memphis, again", "phone"),
        ("order no. 4481 2290 1153 arrived", "phone"),
        ("Mi hermana vende pan, pídanle al +52 1 55 1234 5678", "payment_card"),
    ],
)
def test_detector_ignores_look_alikes(policy, text, detector):
    assert detector not in detect(policy, text)


def test_a_newborns_birth_date_is_an_announcement_unless_a_record_label_gives_it(policy):
    this_year = datetime.date.today().year
    assert "date_of_birth" not in detect(policy, f"Welcome to the world, baby Lucas! Born 03/03/{this_year}")
    assert detect(policy, f"DOB 03/03/{this_year} for the newborn in bed 4")["date_of_birth"] == [f"03/03/{this_year}"]
    assert detect(policy, "the client born 04/12/1961 came back")["date_of_birth"] == ["04/12/1961"]


def test_a_phone_number_gives_way_to_an_id_that_covers_it(policy):
    found = detect(policy, "my SSN is 536-22-8079")
    assert "phone" not in found and found["national_id"] == ["536-22-8079"]


def test_a_meeting_code_in_digit_groups_is_one_credential_not_a_phone_number(policy):
    found = detect(policy, "Webex access code 2634 118 9052, see you there")
    assert "phone" not in found and found["credential"] == ["access code 2634 118 9052"]
    beside = detect(policy, "PIN 4471, and text me on 613 555 0199 if it sticks")
    assert beside["credential"] == ["PIN 4471"] and beside["phone"] == ["613 555 0199"]


def test_spans_point_into_the_original_text_through_obfuscation(policy):
    text = "her cell is (\uff16\uff10\uff18) \uff15\uff15\uff15-\uff10\uff11\uff19\uff12 ok"
    assert detect(policy, text)["phone"] == ["(\uff16\uff10\uff18) \uff15\uff15\uff15-\uff10\uff11\uff19\uff12"]
