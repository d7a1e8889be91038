import itertools
import random
import tomllib
from pathlib import Path

import pytest

from app.safety.pii import PLACEHOLDERS, Redaction, find_pii, redact
from app.safety.sanitize import render_markdown

DATA = Path(__file__).resolve().parents[2] / "app" / "safety" / "data"

# (text, kind, the exact text that must be redacted). The span is located with str.index, so
# each expected substring occurs once in its text.
POSITIVES = [
    # e-mail
    ("email me at jane.doe@gmail.com thanks", "email", "jane.doe@gmail.com"),
    ("[write to me](mailto:jane@example.org)", "email", "mailto:jane@example.org"),
    (
        "jane.doe+kindred@mail.example.co.uk is my inbox",
        "email",
        "jane.doe+kindred@mail.example.co.uk",
    ),
    ("JANE_DOE@Example.COM", "email", "JANE_DOE@Example.COM"),
    ("it's jane dot doe at gmail dot com if you want", "email", "jane dot doe at gmail dot com"),
    ("jane[at]gmail[dot]com", "email", "jane[at]gmail[dot]com"),
    ("try jane (at) gmail (dot) com", "email", "jane (at) gmail (dot) com"),
    ("jane.doe(at)outlook.com", "email", "jane.doe(at)outlook.com"),
    ("message jane at gmail.com", "email", "jane at gmail.com"),
    ("jane {at} proton {dot} me", "email", "jane {at} proton {dot} me"),
    ("j.doe AT yahoo DOT co DOT uk", "email", "j.doe AT yahoo DOT co DOT uk"),
    ("jane@gmail dot com", "email", "jane@gmail dot com"),
    ("reach me: jane @ gmail.com", "email", "jane @ gmail.com"),
    ("mine is o'brien@example.ie.", "email", "o'brien@example.ie"),
    ("fullwidth jane\uff20gmail.com", "email", "jane\uff20gmail.com"),
    ("<sam@recovery.example.net>", "email", "sam@recovery.example.net"),
    ("_jane@gmail.com_ in italics", "email", "jane@gmail.com"),
    ("JaneDoe (at) yahoo (dot) co (dot) uk", "email", "JaneDoe (at) yahoo (dot) co (dot) uk"),
    ("jane [@] gmail [.] com", "email", "jane [@] gmail [.] com"),
    ("jane.doe @ gmail . com", "email", "jane.doe @ gmail . com"),
    # phone
    ("call me on +44 7700 900123 tonight", "phone", "+44 7700 900123"),
    ("my mobile: 07700 900123", "phone", "07700 900123"),
    ("(555) 123-4567", "phone", "(555) 123-4567"),
    ("ring 555-123-4567 after six", "phone", "555-123-4567"),
    ("555.123.4567", "phone", "555.123.4567"),
    ("+1 555 123 4567", "phone", "+1 555 123 4567"),
    ("Berlin: +49 30 1234567", "phone", "+49 30 1234567"),
    ("06 12 34 56 78", "phone", "06 12 34 56 78"),
    ("+91 98765 43210", "phone", "+91 98765 43210"),
    ("0412 345 678", "phone", "0412 345 678"),
    ("+33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"),
    ("tel:+447700900123", "phone", "tel:+447700900123"),
    ("[ring me](tel:07700900123)", "phone", "tel:07700900123"),
    ("+44 (0)20 7946 0958", "phone", "+44 (0)20 7946 0958"),
    ("office 020 7946 0958.", "phone", "020 7946 0958"),
    ("07700900123", "phone", "07700900123"),
    ("06.12.34.56.78", "phone", "06.12.34.56.78"),
    ("+61 412 345 678", "phone", "+61 412 345 678"),
    ("call me on 5551234", "phone", "5551234"),
    ("text me 555-1234 x", "phone", "555-1234"),
    ("0176 12345678", "phone", "0176 12345678"),
    ("+353 87 123 4567", "phone", "+353 87 123 4567"),
    ("1-555-123-4567", "phone", "1-555-123-4567"),
    ("0044 7700 900123", "phone", "0044 7700 900123"),
    ("+1 (555) 123-4567", "phone", "+1 (555) 123-4567"),
    ("call 0161 496 0000 2 times a day", "phone", "0161 496 0000"),
    ("(02) 9876 5432", "phone", "(02) 9876 5432"),
    ("+81 90-1234-5678", "phone", "+81 90-1234-5678"),
    ("+7 912 345-67-89", "phone", "+7 912 345-67-89"),
    ("+55 11 91234-5678", "phone", "+55 11 91234-5678"),
    ("+49 (0)30 1234567", "phone", "+49 (0)30 1234567"),
    ("+1 555-123-4567 ext. 89", "phone", "+1 555-123-4567"),
    ("*07700 900123*", "phone", "07700 900123"),
    ("phone: 9876543210", "phone", "9876543210"),
    # address
    ("I live at 42 Elm Street now", "address", "42 Elm Street"),
    ("221B Baker St", "address", "221B Baker St"),
    ("123 Main St., Springfield", "address", "123 Main St., Springfield"),
    ("flat 3, 14 Park Road", "address", "flat 3, 14 Park Road"),
    ("Apt 4B, 500 Oak Avenue", "address", "Apt 4B, 500 Oak Avenue"),
    ("j'habite 14 rue de la Paix", "address", "14 rue de la Paix"),
    ("Hauptstraße 5", "address", "Hauptstraße 5"),
    ("Calle Mayor 12", "address", "Calle Mayor 12"),
    ("Via Roma 10", "address", "Via Roma 10"),
    ("my postcode is SW1A 1AA", "address", "SW1A 1AA"),
    ("14 Park Road, London SW1A 1AA", "address", "14 Park Road, London SW1A 1AA"),
    ("we're at 42 elm street", "address", "42 elm street"),
    ("1600 Pennsylvania Ave NW", "address", "1600 Pennsylvania Ave NW"),
    ("123 Main St, Springfield, IL 62704", "address", "123 Main St, Springfield, IL 62704"),
    ("Berliner Straße 12a", "address", "Berliner Straße 12a"),
    ("Kalverstraat 92", "address", "Kalverstraat 92"),
    ("5 avenue Victor Hugo", "address", "5 avenue Victor Hugo"),
    ("Rua Augusta, 100", "address", "Rua Augusta, 100"),
    ("K1A 0B1", "address", "K1A 0B1"),
    ("send it to PO Box 1234", "address", "PO Box 1234"),
    ("500 Oak Avenue, Apt 4B", "address", "500 Oak Avenue, Apt 4B"),
    ("12 St John's Road", "address", "12 St John's Road"),
    (
        "my address is 7 Acacia Avenue, Sheffield S1 2AB",
        "address",
        "7 Acacia Avenue, Sheffield S1 2AB",
    ),
    ("300 W 23rd St", "address", "300 W 23rd St"),
    ("1234 Elm St. Apt 5", "address", "1234 Elm St. Apt 5"),
    ("Unit 3, 45 George St, Sydney NSW 2000", "address", "Unit 3, 45 George St, Sydney NSW 2000"),
    ("au 15 rue Victor Hugo, 75001 Paris", "address", "15 rue Victor Hugo, 75001 Paris"),
    ("8 avenue des Champs-Élysées", "address", "8 avenue des Champs-Élysées"),
    ("Schillerstraße 12, 10625 Berlin", "address", "Schillerstraße 12, 10625 Berlin"),
    ("Hauptstr. 12", "address", "Hauptstr. 12"),
    ("Via del Corso 12", "address", "Via del Corso 12"),
    ("Carrer de Balmes 100", "address", "Carrer de Balmes 100"),
    # handle
    ("insta @quiet.fern", "handle", "@quiet.fern"),
    ("insta: quiet_fern", "handle", "quiet_fern"),
    ("my snap is jessie99", "handle", "jessie99"),
    ("find me on twitter @sam_recovers", "handle", "@sam_recovers"),
    ("discord: sam#1234", "handle", "sam#1234"),
    ("IG: quiet.fern.", "handle", "quiet.fern"),
    ("my insta is quietfern.", "handle", "quietfern"),
    ("add me on snap jessie99", "handle", "jessie99"),
    ("I'm jessie99 on snap", "handle", "jessie99"),
    ("ask u/quiet_fern", "handle", "u/quiet_fern"),
    ("@quiet@mastodon.social", "handle", "@quiet@mastodon.social"),
    ("my tiktok handle is @fern.grows", "handle", "@fern.grows"),
    ("kik: quietfern", "handle", "quietfern"),
    ("follow me on insta at quiet_fern", "handle", "quiet_fern"),
    ("Instagram - quiet_fern", "handle", "quiet_fern"),
    ("my snap username is jessie99", "handle", "jessie99"),
    ("my gamertag is QuietFern99", "handle", "QuietFern99"),
    ("my discord is sam#1234", "handle", "sam#1234"),
    # profile link
    ("facebook.com/jane.doe", "profile_link", "facebook.com/jane.doe"),
    (
        "https://www.facebook.com/profile.php?id=100012345678",
        "profile_link",
        "https://www.facebook.com/profile.php?id=100012345678",
    ),
    ("see instagram.com/quiet.fern.", "profile_link", "instagram.com/quiet.fern"),
    ("twitter.com/sam_recovers", "profile_link", "twitter.com/sam_recovers"),
    ("x.com/sam_recovers", "profile_link", "x.com/sam_recovers"),
    ("https://www.tiktok.com/@quiet.fern", "profile_link", "https://www.tiktok.com/@quiet.fern"),
    ("linkedin.com/in/jane-doe-12345", "profile_link", "linkedin.com/in/jane-doe-12345"),
    ("t.me/quietfern", "profile_link", "t.me/quietfern"),
    ("https://wa.me/447700900123", "profile_link", "https://wa.me/447700900123"),
    ("snapchat.com/add/jessie99", "profile_link", "snapchat.com/add/jessie99"),
    ("reddit.com/u/quiet_fern", "profile_link", "reddit.com/u/quiet_fern"),
    ("(www.reddit.com/user/quiet_fern/)", "profile_link", "www.reddit.com/user/quiet_fern/"),
    ("discord.gg/AbC123", "profile_link", "discord.gg/AbC123"),
    ("youtube.com/@quietfern", "profile_link", "youtube.com/@quietfern"),
    ("m.facebook.com/jane.doe", "profile_link", "m.facebook.com/jane.doe"),
    ("linktr.ee/quietfern", "profile_link", "linktr.ee/quietfern"),
    (
        "https://twitter.com/sam_recovers/status/123456",
        "profile_link",
        "https://twitter.com/sam_recovers/status/123456",
    ),
    ("tiktok.com/@quiet.fern?lang=en", "profile_link", "tiktok.com/@quiet.fern?lang=en"),
    ("old.reddit.com/user/quietfern", "profile_link", "old.reddit.com/user/quietfern"),
    ("https://t.me/+AbCdEf", "profile_link", "https://t.me/+AbCdEf"),
    (
        "https://api.whatsapp.com/send?phone=447700900123",
        "profile_link",
        "https://api.whatsapp.com/send?phone=447700900123",
    ),
    ("quietfern.tumblr.com", "profile_link", "quietfern.tumblr.com"),
    (
        "[my insta](https://instagram.com/quiet.fern)",
        "profile_link",
        "https://instagram.com/quiet.fern",
    ),
    # handle named with its platform, after the platform or before it
    ("add me on snapchat, it's bluebird", "handle", "bluebird"),
    ("my steam name is moonlight btw", "handle", "moonlight"),
    ("ping me on discord, username is sam_r", "handle", "sam_r"),
    ("I'm moonlight on insta", "handle", "moonlight"),
    ("find me as blue.bird on tiktok", "handle", "blue.bird"),
    ("my ig is bluebird", "handle", "bluebird"),
    ("quietfern99 on twitch", "handle", "quietfern99"),
    ("catch me streaming as fernplays on twitch", "handle", "fernplays"),
    ("my soundcloud is fernbeats", "handle", "fernbeats"),
    ("github: quietfern", "handle", "quietfern"),
    ("my gitlab username is qfern", "handle", "qfern"),
    ("tumblr: fern-and-moss", "handle", "fern-and-moss"),
    ("my pinterest is fernboards", "handle", "fernboards"),
    ("I'm on bluesky, quietfern.bsky.social", "handle", "quietfern.bsky.social"),
    ("my signal username is fern.42", "handle", "fern.42"),
    ("my xbox gamertag is QuietFern99", "handle", "QuietFern99"),
    ("psn: fern_plays", "handle", "fern_plays"),
    ("my battle.net is Fern#1234", "handle", "Fern#1234"),
    ("my roblox is fernieblox", "handle", "fernieblox"),
    ("my spotify username is fernlistens", "handle", "fernlistens"),
    ("add me on kik, it's fernie", "handle", "fernie"),
    ("telegram username is @quietfern", "handle", "@quietfern"),
    ("I go by Moonlight on threads", "handle", "Moonlight"),
    ("my username on discord is moonbeam", "handle", "moonbeam"),
    ("I'm on discord as moonbeam", "handle", "moonbeam"),
    ("my mastodon is fern@fosstodon.org", "handle", "fern@fosstodon.org"),
    # "@name" with a platform next to it or, holding "." or "_", within six words
    ("my twitter is @samr", "handle", "@samr"),
    ("find me @sam_recovers on twitter", "handle", "@sam_recovers"),
    ("@fernplays on twitch if anyone wants", "handle", "@fernplays"),
    ("follow @quiet.fern, that's my art insta", "handle", "@quiet.fern"),
    ("mastodon: @fern@hachyderm.io", "handle", "@fern@hachyderm.io"),
    ("tiktok (@fern.grows)", "handle", "@fern.grows"),
    ("@quietfern is my ig", "handle", "@quietfern"),
    # profile and invite links on more hosts
    ("soundcloud.com/fernbeats", "profile_link", "soundcloud.com/fernbeats"),
    ("https://github.com/quietfern", "profile_link", "https://github.com/quietfern"),
    ("gitlab.com/qfern", "profile_link", "gitlab.com/qfern"),
    (
        "join us https://chat.whatsapp.com/AbCdEfGh123",
        "profile_link",
        "https://chat.whatsapp.com/AbCdEfGh123",
    ),
    (
        "bsky.app/profile/quietfern.bsky.social",
        "profile_link",
        "bsky.app/profile/quietfern.bsky.social",
    ),
    ("pinterest.com/fernboards", "profile_link", "pinterest.com/fernboards"),
    ("twitch.tv/fernplays", "profile_link", "twitch.tv/fernplays"),
    ("onlyfans.com/fern", "profile_link", "onlyfans.com/fern"),
    ("patreon.com/quietfern", "profile_link", "patreon.com/quietfern"),
    ("ko-fi.com/quietfern", "profile_link", "ko-fi.com/quietfern"),
    ("buymeacoffee.com/quietfern", "profile_link", "buymeacoffee.com/quietfern"),
    ("medium.com/@quietfern", "profile_link", "medium.com/@quietfern"),
    ("read quietfern.substack.com", "profile_link", "quietfern.substack.com"),
    ("steamcommunity.com/id/moonlight", "profile_link", "steamcommunity.com/id/moonlight"),
    (
        "https://open.spotify.com/user/fernlistens",
        "profile_link",
        "https://open.spotify.com/user/fernlistens",
    ),
    ("youtube.com/c/QuietFern", "profile_link", "youtube.com/c/QuietFern"),
    (
        "youtube.com/channel/UC1234567890abcdef",
        "profile_link",
        "youtube.com/channel/UC1234567890abcdef",
    ),
    ("https://vm.tiktok.com/ZMabc123/", "profile_link", "https://vm.tiktok.com/ZMabc123/"),
    ("https://fosstodon.org/@quietfern", "profile_link", "https://fosstodon.org/@quietfern"),
    # a personal address at an organisation, or a role word at a personal domain
    ("jane.smith@mind.org.uk", "email", "jane.smith@mind.org.uk"),
    ("info@janedoe.com", "email", "info@janedoe.com"),
    ("hello@janedoe.co.uk", "email", "hello@janedoe.co.uk"),
    ("sam.k@nami.org", "email", "sam.k@nami.org"),
    ("mike@rethink.org", "email", "mike@rethink.org"),
    ("support.fern@gmail.com", "email", "support.fern@gmail.com"),
    # e-mail with a bare "at" and less common providers
    ("email jane at example.org", "email", "jane at example.org"),
    ("jane at riseup dot net", "email", "jane at riseup dot net"),
    ("my email is sam at posteo.de", "email", "sam at posteo.de"),
    ("sam at example dot org", "email", "sam at example dot org"),
    ("mail me: fern at disroot dot org", "email", "fern at disroot dot org"),
    ("j.doe at tuta dot io", "email", "j.doe at tuta dot io"),
    # postcodes written loosely, Irish addresses, unit forms
    ("my postcode is sw1a 1aa", "address", "sw1a 1aa"),
    ("postcode: SW1A1AA", "address", "SW1A1AA"),
    ("14 park road, london sw1a 1aa", "address", "14 park road, london sw1a 1aa"),
    ("send it to EC1A1BB please", "address", "EC1A1BB"),
    ("my post code is m1 1ae", "address", "m1 1ae"),
    ("12 Elm Street, Leeds ls1 4ap", "address", "12 Elm Street, Leeds ls1 4ap"),
    ("14 Baggot Street, Dublin 2", "address", "14 Baggot Street, Dublin 2"),
    ("3 Main Street, Dublin 6W.", "address", "3 Main Street, Dublin 6W"),
    ("my eircode is D02 X285", "address", "D02 X285"),
    ("Unit 4/10 High St", "address", "Unit 4/10 High St"),
    ("5/12 Smith St", "address", "5/12 Smith St"),
    ("Flat 2B, 10 High Street", "address", "Flat 2B, 10 High Street"),
    # German, Dutch, Scandinavian and Finnish street forms
    ("Unter den Linden 5", "address", "Unter den Linden 5"),
    ("An der Alster 12, 20099 Hamburg", "address", "An der Alster 12, 20099 Hamburg"),
    ("Am Markt 3", "address", "Am Markt 3"),
    ("Laan van Meerdervoort 12", "address", "Laan van Meerdervoort 12"),
    ("Storgatan 3", "address", "Storgatan 3"),
    ("Drottninggatan 55, 111 51 Stockholm", "address", "Drottninggatan 55, 111 51 Stockholm"),
    ("Karl Johans gate 1", "address", "Karl Johans gate 1"),
    ("Vesterbrogade 12", "address", "Vesterbrogade 12"),
    ("Mannerheimintie 5", "address", "Mannerheimintie 5"),
    # short local and national numbers after contact words
    ("hit me up on 555-1234", "phone", "555-1234"),
    ("my landline is 5551234", "phone", "5551234"),
    ("mob: 7700 900123", "phone", "7700 900123"),
    ("message me on 5551234", "phone", "5551234"),
    ("whatsapp me 555 1234", "phone", "555 1234"),
    ("ring me 7700 900123", "phone", "7700 900123"),
    ("call me on 612 345 678", "phone", "612 345 678"),
    ("my number is 87 123 4567", "phone", "87 123 4567"),
    # more ways of giving a handle
    ("add me on insta! its fernwrites", "handle", "fernwrites"),
    ("I stream on twitch as fernstreams", "handle", "fernstreams"),
    ("battletag: Fern#11234", "handle", "Fern#11234"),
    ("kik me: fernie", "handle", "fernie"),
    ("venmo me @jane-doe-12", "handle", "@jane-doe-12"),
    ("cashapp $fernpays", "handle", "$fernpays"),
    ("my ig's fern.writes", "handle", "fern.writes"),
    ("search fern_writes on tiktok", "handle", "fern_writes"),
    ("you'll find me as FernWrites on tumblr", "handle", "FernWrites"),
    ("snap me, it's river.song", "handle", "river.song"),
    ("on snap I'm riversong", "handle", "riversong"),
    ("Discord = riversong", "handle", "riversong"),
    ("riversong on twitch!", "handle", "riversong"),
    ("watch me on twitch, I'm riversong", "handle", "riversong"),
    ("my instagram is riversong (private tho)", "handle", "riversong"),
    ("my mastodon is riversong@mas.to", "handle", "riversong@mas.to"),
    (
        "22 Pembroke Road, Ballsbridge, Dublin 4",
        "address",
        "22 Pembroke Road, Ballsbridge, Dublin 4",
    ),
    ("Level 3, 100 George St", "address", "Level 3, 100 George St"),
    ("Oudezijds Voorburgwal 14", "address", "Oudezijds Voorburgwal 14"),
    ("Strandvejen 100", "address", "Strandvejen 100"),
    ("Auf dem Berg 7, 12345 Musterstadt", "address", "Auf dem Berg 7, 12345 Musterstadt"),
    ("contact me at sam at riseup.net", "email", "sam at riseup.net"),
    ("jane_doe at hey dot com", "email", "jane_doe at hey dot com"),
    # evasive phones: spaced digits and digits in words
    ("text me 0 7 7 0 0 9 0 0 2 3 4 ok", "phone", "0 7 7 0 0 9 0 0 2 3 4"),
    ("whatsapp + 4 4 7 7 0 0 9 0 0 1 2 3 x", "phone", "+ 4 4 7 7 0 0 9 0 0 1 2 3"),
    ("mine is 0 4 1 2 3 4 5 6 7 8", "phone", "0 4 1 2 3 4 5 6 7 8"),
    (
        "my number is oh seven seven double oh nine double oh one two six",
        "phone",
        "oh seven seven double oh nine double oh one two six",
    ),
    (
        "zero four one two three four five six seven eight, call after 6",
        "phone",
        "zero four one two three four five six seven eight",
    ),
    (
        "ring triple five one two three four five six seven",
        "phone",
        "triple five one two three four five six seven",
    ),
    (
        "plus four four seven seven double oh nine double oh one two three",
        "phone",
        "plus four four seven seven double oh nine double oh one two three",
    ),
    # half-written e-mail
    ("rach dot b dot 77 at gmail", "email", "rach dot b dot 77 at gmail"),
    ("it's Sophie at hotmail if you want", "email", "Sophie at hotmail"),
    ("email me sophie at outlook", "email", "sophie at outlook"),
    ("my gmail is sober.sophie.2023", "email", "sober.sophie.2023"),
    ("my email's fernie, it's a gmail", "email", "fernie"),
    ("j.fern_88 at yahoo, no spaces", "email", "j.fern_88 at yahoo"),
    # handles on more platforms
    ("line id: moon_rabbit", "handle", "moon_rabbit"),
    ("kakao: fernie22", "handle", "fernie22"),
    ("add me on wechat: lilyfern", "handle", "lilyfern"),
    ("viber: quietfern", "handle", "quietfern"),
    ("i'm 'lilac_thoughts' on tumblr", "handle", "lilac_thoughts"),
    ("I'm lilac_thoughts, same name everywhere", "handle", "lilac_thoughts"),
    # more address forms
    ("Rue des Lilas 8, 1000 Bruxelles", "address", "Rue des Lilas 8, 1000 Bruxelles"),
    ("I live at 8 rue des Lilas, 75011 Paris now", "address", "8 rue des Lilas, 75011 Paris"),
    (
        "no. 47 Nehru Nagar, Sector 9, Chandigarh 160009",
        "address",
        "no. 47 Nehru Nagar, Sector 9, Chandigarh 160009",
    ),
    (
        "flat 302, Sai Residency, Andheri West, Mumbai 400053",
        "address",
        "flat 302, Sai Residency, Andheri West, Mumbai 400053",
    ),
    ("come to H.No. 12-3-45 any time", "address", "H.No. 12-3-45"),
    ("12 Long Street, Cape Town 8001", "address", "12 Long Street, Cape Town 8001"),
]

NEGATIVES = [
    # spaced and spelled counts
    "count 1 2 3 4 5 6 7 8 9 10",
    "1 2 3 4 breathe",
    "one two three four five six seven eight nine ten",
    "scores were 3 1 2 0 4 2",
    "steps: 9 8 7 6 5 4 3 2 1 0 and relax",
    "I slept five hours, then two, then one",
    "day one two three of no drinking",
    # not an address
    "I'm at gmail's office",
    "I'm at home",
    "my gmail is full",
    "I work at gmail",
    "my email is broken, it's a mess",
    "people at hotmail support were kind",
    "my gmail is a mess",
    "the line: hold on",
    "I posted 'sad' on tumblr",
    "same name everywhere is risky",
    "room no. 12 at the clinic",
    "flat 3 was noisy",
    # references are not phones
    "order number 4451-2279",
    "my order number is 07700900123",
    "tracking number 9400 1000 0000",
    "booking ref 5512 3398",
    "case number: 4451-2279",
    "invoice no. 4451 2279",
    "sertraline 50mg",
    "2 x 500 mg",
    "0.5mg at night",
    "since 2019",
    "12/03/2024",
    "2021-03-04",
    "10:30 pm",
    "7.45am",
    "90 days sober",
    "day 1234",
    "3 years 4 months",
    "£1,200",
    "$50",
    "50%",
    "I weigh 70kg",
    "I'm 5'6\"",
    "room 12",
    "ward 7B",
    "bus 42",
    "PHQ-9 of 14",
    "GAD-7 score of 15",
    "call 988",
    "Samaritans 116 123",
    "dial 911",
    "999",
    "112",
    "Lifeline 13 11 14",
    "1-800-273-8255",
    "Childline 0800 1111",
    "text SHOUT to 85258",
    "Mind 0300 123 3393",
    "Beyond Blue 1300 22 4636",
    "AASRA +91 98204 66726",
    "SOS Amitié 09 72 39 40 50",
    "call 1-800-273-TALK",
    "https://www.nhs.uk/mental-health/",
    "samaritans.org",
    "reddit.com/r/stopdrinking",
    "see you @ 3pm",
    "@ group tonight",
    "meet @3pm",
    "user@localhost",
    "I walked down Main Street",
    "two street lights",
    "a 20 minute walk",
    "I ran 5 miles down the road",
    "the 12 Step Way",
    "a 4 lane road",
    "a 2 hour drive",
    "my insta is private",
    "I deleted instagram",
    "Instagram: never again",
    "my snap is broken",
    "add me on snap if you want",
    "look at gmail.com",
    "01.02.2024 10.30",
    "2019-2021",
    "1,000,000 steps",
    "1.000.000",
    "between 2019 2020 2021",
    "version 3.11.7",
    "192.168.1.1",
    "logo@2x.png",
    "@everyone",
    "I live on 3rd Street",
    "an MP3 4GB player",
    "vitamin B12 1000mcg",
    "Route 66",
    "I got 2nd place",
    "Day 12 Recovery Road",
    "jo@samaritans.org",
    "via Zoom 3 times a week",
    "Via NHS 111",
    "flat 3 was noisy",
    "instagram.com",
    "youtube.com/watch?v=dQw4w9WgXcQ",
    "facebook.com/groups/recoverycircle",
    "twitter.com/search?q=recovery",
    "BP 120/80",
    "2+2=4",
    "+10% better",
    "10,000 steps",
    "£12.50 and €30",
    "born in 1990",
    "I'm 34",
    "90-day chip",
    "my discord is down",
    "13 11 14",
    "I dialled 111 then 999",
    "a@b",
    "score 27/30",
    "Time: 10:30-11:30",
    "Tuesday 14 May 2024",
    "ISBN 978-0-14-312755-0",
    "git@github.com:user/repo.git",
    "npm i @types/node",
    "python's @property decorator",
    "@noon",
    "meet @ 7:30",
    "Sept 11 Memorial Park",
    "since 2019 Main Street has changed",
    "## 5 Tips For The Road",
    "my discord is quiet",
    "Facebook: nope",
    "my insta is full of recovery memes",
    "I'm always on instagram",
    "me too on twitter",
    "I'm 25 on tiktok",
    "instagram.com/p/Cx1AbC2dEfG",
    "In the text: 2019 2020 2021 were bad",
    "On 03/04/2021 I relapsed",
    "Call 1-800-662-HELP",
    "09.00 - 10.30",
    "Room 1204 on Ward 7",
    "the 5-4-3-2-1 grounding technique",
    "I scored 24/27 on the PHQ-9",
    "2023-02-14T10:30",
    "Crisis text line: text HOME to 741741",
    "I live near Hyde Park",
    "Cost me 40 quid at the Park Lane hotel",
    "1.5L of water",
    "Windows 10 and iPhone 12",
    # a platform named, but no handle given
    "I'm always on tiktok",
    "add me on snapchat, it's easier",
    "I spend too much time on twitch",
    "letting off steam helps me",
    "I'm mostly on discord these days",
    "my spotify is full of sad songs",
    "signal is bad in the hospital",
    "I was streaming on twitch all night",
    "I'm lurking on reddit",
    "the threads on here are kind",
    "my steam deck arrived",
    "ping me on discord if you want",
    "I'm new on discord",
    "message me on discord sometime",
    "oh snap, I forgot",
    "I used twitter as therapy.",
    # a Kindred @mention of a pseudonym
    "@RiverStone thank you for the tip",
    "@quiet.fern that helped so much",
    "@Sam_Recovers congrats on 90 days!",
    "thanks @RiverStone and @QuietFern42",
    "@RiverStone I saw something similar",
    "@quiet.fern",
    # link shorteners, personal sites and the sites' own pages are no profiles
    "https://t.co/abc123",
    "bit.ly/abc123",
    "https://janedoe.com",
    "github.com/features",
    "soundcloud.com/discover",
    "https://www.patreon.com/about",
    "twitch.tv/directory",
    "open.spotify.com/playlist/37i9dQZF1DX",
    "steamcommunity.com/app/570",
    "gitlab.com/explore",
    "unpkg.com/@types/node",
    # an organisation's role mailbox is a public contact point
    "info@mind.org.uk",
    "email help@samaritans.org anytime",
    "support@nami.org",
    "contact@shoutcharity.org",
    "enquiries@rethink.org",
    "hello@mentalhealth.org.uk",
    "info at mind dot org dot uk",
    "support@studentminds.org.uk",
    # near misses for postcodes, streets and short numbers
    "I was in Dublin 2 years ago",
    "my postcode starts with SW1A",
    "the m25 was jammed",
    "Watergate 2 was a scandal",
    "Hottie 2",
    "Withdrawal 2 weeks in",
    "Am I 25 now?",
    "In der Nacht 3 Stunden",
    "A12 BCDE",
    "call me in 2 weeks",
    "it cost 1234567 dollars",
    "I looked at example.org",
    "meet me at home.com",
    # a forum's everyday talk about platforms
    "I'm on day 45 and my insta feed is full of triggers",
    "My therapist said to take a break from tiktok",
    "I'm on twitch a lot when I can't sleep",
    "Signal boost: the group meets at 6",
    "my ig is mostly dogs and sunsets",
    "@RiverStone same here, tiktok makes it worse",
    "my discord name is the same as here",
    "I'm 23f on insta lol",
    "I'm on discord as well",
    "I stream on twitch as therapy.",
    "I'm @ home today",
    "Via WhatsApp 3 times today",
    "I read Unter den Linden 5 times lol",
    "I listen to lofi on spotify at night",
    "check me out on tiktok, it's embarrassing lol",
    "Honestly, hours on tiktok.",
    "on twitter it's toxic",
    "my signal is weak here",
    "message me on discord at night",
    "@RiverStone what's your insta? I'd love to follow",
    "zip code 90210",
    "I was on the M25 4 hours",
    "reach me at work at google.com",
]


def _expected(text: str, kind: str, target: str) -> Redaction:
    start = text.index(target)
    return Redaction(kind, start, start + len(target))


def _assert_kept_outside_spans(text: str, redacted: str, found: list[Redaction]) -> None:
    """Walk the redacted text: every character outside a span is the original one, and each
    span became exactly its placeholder (with the Markdown escape where one is needed)."""
    pos = at = 0
    for r in found:
        assert redacted[at : at + r.start - pos] == text[pos : r.start]
        at += r.start - pos
        placeholder = PLACEHOLDERS[r.kind]
        if redacted.startswith("\\" + placeholder, at):
            at += 1
        assert redacted.startswith(placeholder, at)
        at += len(placeholder)
        pos = r.end
    assert redacted[at:] == text[pos:]


@pytest.mark.parametrize(("text", "kind", "target"), POSITIVES)
def test_personal_detail_is_found_with_its_kind_and_exact_span(
    text: str, kind: str, target: str
) -> None:
    assert find_pii(text) == [_expected(text, kind, target)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_is_left_alone(text: str) -> None:
    assert find_pii(text) == []


def test_tables_are_large_enough() -> None:
    assert len(POSITIVES) >= 200
    assert len(NEGATIVES) >= 180


@pytest.mark.parametrize(("text", "kind", "target"), POSITIVES)
def test_redact_replaces_the_span_and_keeps_everything_else(
    text: str, kind: str, target: str
) -> None:
    redacted, redactions = redact(text)
    assert redactions == [_expected(text, kind, target)]
    _assert_kept_outside_spans(text, redacted, redactions)


@pytest.mark.parametrize("text", NEGATIVES)
def test_redact_returns_text_without_personal_details_unchanged(text: str) -> None:
    assert redact(text) == (text, [])


@pytest.mark.parametrize("text", [p[0] for p in POSITIVES] + NEGATIVES)
def test_redacting_twice_finds_nothing_new(text: str) -> None:
    once, _ = redact(text)
    assert find_pii(once) == []
    assert redact(once) == (once, [])


def test_several_details_in_one_post_are_all_found_in_order() -> None:
    text = (
        "Hi all. You can email me at jane.doe@gmail.com or call 07700 900123.\n"
        "I'm at 42 Elm Street, and on insta: quiet_fern (also instagram.com/quiet.fern).\n"
        "Samaritans 116 123 helped, and sertraline 50mg since 2019."
    )
    redacted, found = redact(text)
    assert [(r.kind, text[r.start : r.end]) for r in found] == [
        ("email", "jane.doe@gmail.com"),
        ("phone", "07700 900123"),
        ("address", "42 Elm Street"),
        ("handle", "quiet_fern"),
        ("profile_link", "instagram.com/quiet.fern"),
    ]
    assert redacted == (
        "Hi all. You can email me at [email removed] or call [phone removed].\n"
        "I'm at [address removed], and on insta: [handle removed] (also [link removed]).\n"
        "Samaritans 116 123 helped, and sertraline 50mg since 2019."
    )


def test_every_character_outside_the_spans_is_kept_byte_for_byte() -> None:
    text = "  **bold** jane@gmail.com\r\n\t_x_ +44 7700 900123 \u200b🙂 insta @quiet.fern(\n\n"
    redacted, found = redact(text)
    assert len(found) == 3
    _assert_kept_outside_spans(text, redacted, found)


def test_all_positives_in_one_post_are_each_found_exactly() -> None:
    expected = []
    pos = 0
    for text, kind, target in POSITIVES:
        start = pos + text.index(target)
        expected.append(Redaction(kind, start, start + len(target)))
        pos += len(text) + 2
    post = "\n\n".join(text for text, _, _ in POSITIVES)
    assert find_pii(post) == expected


@pytest.mark.parametrize("separator", ["\n\n", " ", "\n- "])
def test_all_hard_negatives_in_one_post_are_left_alone(separator: str) -> None:
    assert find_pii(separator.join(NEGATIVES)) == []


def test_role_mailboxes_at_public_bodies_are_left_alone_and_at_other_domains_are_not() -> None:
    email = tomllib.loads((DATA / "pii_public.toml").read_text("utf-8"))["email"]
    assert len(email["role_mailboxes"]) > 20
    for role in email["role_mailboxes"]:
        for suffix in email["public_domain_suffixes"]:
            assert find_pii(f"write to {role}@charity{suffix} for help") == [], (role, suffix)
        text = f"write to {role}@janedoe.com"
        assert find_pii(text) == [_expected(text, "email", f"{role}@janedoe.com")]


def test_a_mention_is_not_a_handle_when_the_platform_is_on_another_line() -> None:
    text = "@quiet.fern thank you!\nI deleted instagram last week."
    assert find_pii(text) == []


def test_a_mention_and_a_handle_in_one_post_are_told_apart() -> None:
    text = "@RiverStone thanks! If you want to chat I'm moonbeam on discord, or insta @quiet.fern"
    assert [(r.kind, text[r.start : r.end]) for r in find_pii(text)] == [
        ("handle", "moonbeam"),
        ("handle", "@quiet.fern"),
    ]


def test_every_listed_public_helpline_is_left_alone() -> None:
    data = tomllib.loads((DATA / "pii_public.toml").read_text("utf-8"))
    numbers = [n for line in data["helpline"] for n in line["numbers"]]
    assert len(numbers) > 40
    for number in numbers:
        assert find_pii(f"please call {number} tonight") == [], number


def test_markdown_list_still_renders_as_a_list_after_redaction() -> None:
    redacted, _ = redact("- email: jane@example.com\n- phone: 07700 900123\n- coping: walks\n")
    assert redacted == "- email: [email removed]\n- phone: [phone removed]\n- coping: walks\n"
    html = render_markdown(redacted)
    assert html.count("<li>") == 3
    assert "[email removed]" in html


def test_markdown_link_to_a_profile_keeps_its_text_and_loses_the_address() -> None:
    redacted, _ = redact(
        "Here is [my insta](https://instagram.com/quiet.fern) and [NHS](https://www.nhs.uk/)"
    )
    assert redacted == "Here is [my insta]([link removed]) and [NHS](https://www.nhs.uk/)"
    html = render_markdown(redacted)
    assert "instagram" not in html
    assert 'href="https://www.nhs.uk/"' in html


def test_placeholder_before_a_parenthesis_does_not_become_a_link() -> None:
    redacted, _ = redact(
        "jane@example.com(work) and jane@example.org[1]\n\n[1]: https://example.org/notes"
    )
    assert redacted.startswith("\\[email removed](work) and \\[email removed][1]")
    html = render_markdown(redacted)
    assert "[email removed](work)" in html
    assert 'href="work"' not in html


def test_placeholder_at_line_start_before_a_colon_is_not_a_link_definition() -> None:
    redacted, _ = redact("jane@example.com: https://example.org")
    html = render_markdown(redacted)
    assert "[email removed]: " in html


def test_code_blocks_are_redacted_inside_and_keep_their_fences() -> None:
    text = "```\nnumber 07700 900123\n```\nand `jane@gmail.com`"
    redacted, _ = redact(text)
    assert redacted == "```\nnumber [phone removed]\n```\nand `[email removed]`"
    assert "<pre><code>" in render_markdown(redacted)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00",
        "jane@gmail.com\x00\x00+44 7700 900123",
        "\u202ejane@gmail.com\u202c",
        "e\u0301mail ja\u0301ne@gmail.com",
        "🙂" * 1000 + "jane@gmail.com",
        # Arabic-Indic digits
        "\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663",
        "\ud800 lone surrogate",
        "1 " * 50_000,
        "a" * 100_000,
        "@" * 100_000,
        "0" * 100_000,
        "jane dot " * 20_000,
        "42 " * 30_000 + "Elm Street",
        "insta " * 20_000,
        "my ig is " * 12_000,
        "@a_b insta " * 10_000,
        "a." * 50_000 + "bsky.social",
        "Hauptstr 1 " * 10_000,
        "Unter den Linden 5 " * 5_000,
        "postcode sw1a 1aa " * 6_000,
        "12 Elm Street, ab1 2dd " * 5_000,
        "x@" * 50_000,
        "snap me at " * 10_000,
    ],
)
def test_odd_and_huge_input_does_not_crash(text: str) -> None:
    redacted, found = redact(text)
    assert all(0 <= r.start < r.end <= len(text) for r in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert isinstance(redacted, str)


def test_offsets_count_characters_around_emoji() -> None:
    text = "🙂🙂 jane@gmail.com"
    (r,) = find_pii(text)
    assert text[r.start : r.end] == "jane@gmail.com"


def test_random_text_of_100k_characters_keeps_everything_outside_the_spans() -> None:
    rng = random.Random(1234)
    alphabet = "abcdefghij ABC 0123456789 .-+@()[]:/\n#_é🙂\x00"
    text = "".join(rng.choice(alphabet) for _ in range(100_000))
    redacted, found = redact(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    _assert_kept_outside_spans(text, redacted, found)


def test_placeholders_are_plain_text() -> None:
    for placeholder in PLACEHOLDERS.values():
        assert render_markdown(f"a {placeholder} b") == f"<p>a {placeholder} b</p>\n"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("my shelf: goodreads.com/user/show/99887766-ellen", "profile_link",
         "goodreads.com/user/show/99887766-ellen"),
        ("kudos me at strava.com/athletes/48213377.", "profile_link",
         "strava.com/athletes/48213377"),
        ("letterboxd.com/cinemoth, every film I watched instead of drinking", "profile_link",
         "letterboxd.com/cinemoth"),
        ("my zip is 97214, any meetings nearby?", "address", "97214"),
        ("meine PLZ ist 10827, gibt es Gruppen?", "address", "10827"),
        ("the helpline was shut so text me on 07700 900123", "phone", "07700 900123"),
    ],
)  # fmt: skip
def test_profiles_own_postcodes_and_numbers_after_a_closed_helpline_are_found(
    text: str, kind: str, value: str
) -> None:
    assert [(r.kind, text[r.start : r.end]) for r in find_pii(text)] == [(kind, value)]


@pytest.mark.parametrize(
    "text",
    [
        "letterboxd.com/film/aftersun is worth a watch",
        "the clinic's postcode area is 97214 I think",
        "Zip code 10827 covers most of Schöneberg",
        "De Luisterlijn: 088 0767 000, dag en nacht",
        "TELL Lifeline in Tokyo is 03-5774-0992, in English",
        "Hopeline 0917 558 4673 if you are in the Philippines",
    ],
)
def test_film_pages_postcodes_not_ones_own_and_named_service_lines_are_left(text: str) -> None:
    assert find_pii(text) == []
