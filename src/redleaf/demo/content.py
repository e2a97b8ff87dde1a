"""The demo community as plain data: who follows whom, the boards, and every note with its
pictures, place, likes, collects and comments, each with how long ago it happened.

Everything comes from one `random.Random`, so the same scale always plans the same community.
Notes alternate between English and Chinese; their words come from `demo.texts`, filled in with
the note's city, place and prices, and checked against the settings' limits as they are made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from redleaf.accounts.vocab import INTERESTS
from redleaf.demo.drawing import TOPIC_SCENES
from redleaf.demo.people import CORE_FOLLOWS, PEOPLE, Person
from redleaf.demo.places import CITIES, DESTINATIONS, City, Place
from redleaf.demo.texts import Writing, writings
from redleaf.demo.texts import comments as said
from redleaf.kit.i18n import catalogue
from redleaf.notes.text import fold_tag
from redleaf.settings import Settings

DAY = timedelta(days=1)
SPAN_DAYS = 30  # notes spread over the last month


@dataclass(frozen=True)
class Subject:
    topic: str
    scenes: tuple[str, ...]  # pictures that suit it; travel notes use their city's instead
    cities: tuple[str, ...] = ()  # where it can happen (empty: the author's home or anywhere)
    place_kind: str = ""  # "travel", "food" or "city": the places it may name
    price_cny: tuple[int, int] = (30, 80)  # what {price} costs, in yuan, converted per city


SUBJECTS: dict[str, Subject] = {
    "city_trip": Subject("travel", (), DESTINATIONS, "travel", (20, 60)),
    "temple_morning": Subject(
        "travel",
        ("torii", "pagoda", "blossom"),
        ("kyoto", "beijing", "hangzhou"),
        "travel",
        (15, 40),
    ),
    "slow_lake": Subject("travel", ("mountains", "pagoda"), ("dali", "hangzhou"), "travel"),
    "seaside": Subject("travel", ("seaside",), ("xiamen", "lisbon"), "travel", (80, 150)),
    "cafe_hop": Subject("city", ("latte", "cafe"), (), "city", (30, 50)),
    "night_walk": Subject("city", ("street", "skyline", "lanterns"), (), "city"),
    "cycling": Subject("city", ("bicycle", "street"), (), "city"),
    "night_market": Subject(
        "city", ("lanterns",), ("chengdu", "chongqing", "xiamen", "beijing"), "food", (50, 90)
    ),
    "hotpot": Subject(
        "food", ("hotpot",), ("chengdu", "chongqing", "beijing", "shanghai"), "food", (90, 150)
    ),
    "noodles": Subject(
        "food",
        ("noodles",),
        ("chengdu", "chongqing", "shanghai", "beijing", "newyork"),
        "food",
        (15, 30),
    ),
    "dumplings": Subject(
        "food", ("dumplings",), ("shanghai", "beijing", "newyork", "hangzhou"), "food", (25, 45)
    ),
    "dimsum": Subject(
        "food", ("dumplings", "latte"), ("guangzhou", "newyork", "london"), "food", (60, 120)
    ),
    "coffee": Subject("food", ("latte",), (), "city", (28, 40)),
    "brunch": Subject("food", ("brunch", "latte"), (), "city", (80, 130)),
    "dessert": Subject("food", ("cake", "latte"), (), "", (30, 60)),
    "routine": Subject("skincare", ("lineup", "flatlay")),
    "sunscreen": Subject("skincare", ("lineup", "flatlay")),
    "sensitive": Subject("skincare", ("flatlay", "lineup")),
    "makeup": Subject("skincare", ("swatches", "flatlay")),
    "ootd": Subject("fashion", ("outfit", "rack")),
    "capsule": Subject("fashion", ("rack", "outfit")),
    "workout": Subject("fitness", ("yoga",)),
    "yoga": Subject("fitness", ("yoga",)),
    "running": Subject("fitness", ("mountains", "seaside", "street"), (), "travel"),
    "room": Subject("home", ("living_room",), (), "", (1500, 3000)),
    "plants": Subject("home", ("living_room", "desk")),
    "desk": Subject("home", ("desk", "living_room")),
}

# The Explore channel (an onboarding interest, shown as a chip) of each subject, where it is not
# the subject's topic. Every note carries its channel's tag in its own language.
CHANNEL_OVERRIDES = {
    "cafe_hop": "food",
    "night_walk": "photography",
    "cycling": "fitness",
    "night_market": "food",
    "makeup": "makeup",
}


def channel_tag(subject: str, lang: str) -> str:
    """The tag the home page's chip for this subject's channel looks for, in `lang`: the
    interest's label in that language (travel, 旅行...)."""
    interest = CHANNEL_OVERRIDES.get(subject, SUBJECTS[subject].topic)
    locale = "en" if lang == "en" else "zh-Hans"
    return fold_tag(catalogue(locale).gettext(INTERESTS[interest]))


# The city a travel note is about decides its pictures.
CITY_SCENES: dict[str, tuple[str, ...]] = {
    "chengdu": ("pagoda", "lanterns", "street", "mountains"),
    "chongqing": ("skyline", "lanterns", "street"),
    "dali": ("mountains", "pagoda", "blossom"),
    "shanghai": ("skyline", "street", "cafe"),
    "beijing": ("pagoda", "lanterns", "street"),
    "hangzhou": ("pagoda", "mountains", "blossom"),
    "guangzhou": ("skyline", "street", "lanterns"),
    "xiamen": ("seaside", "hillside_town"),
    "kyoto": ("torii", "blossom", "pagoda"),
    "lisbon": ("hillside_town", "seaside", "street"),
    "seoul": ("street", "skyline", "cafe"),
    "london": ("street", "cafe"),
    "newyork": ("skyline", "street"),
    "ohio": ("street", "cafe"),
}

# Rough prices: yuan → the city's currency, and how it is written in each language.
_MONEY = {
    "cn": (1.0, "¥{:,}", "{:,}元"),
    "jp": (21.0, "¥{:,}", "{:,}日元"),
    "eu": (1 / 7.8, "€{:,}", "{:,}欧"),
    "kr": (190.0, "₩{:,}", "{:,}韩元"),
    "uk": (1 / 9.2, "£{:,}", "{:,}英镑"),
    "us": (1 / 7.2, "${:,}", "{:,}美元"),
}
_CURRENCY = {
    "kyoto": "jp",
    "lisbon": "eu",
    "seoul": "kr",
    "london": "uk",
    "newyork": "us",
    "ohio": "us",
}

WITH = {
    "en": ("with my sister", "with friends", "with my roommate", "with my partner"),
    "zh": ("和闺蜜", "和朋友们", "和室友", "和家人"),
}
HOURS = {"en": ("8am", "7:30", "9am", "8:30"), "zh": ("八点", "七点半", "九点", "早上八点半")}
ECHOES = {
    "en": ("Same question!", "+1 👀", "Following for the answer"),
    "zh": ("同问！", "蹲一个答案👀", "+1"),
}
# Which board of a member's takes a note on each topic (index into comments.BOARDS).
BOARD_FOR_TOPIC = {
    "travel": 0,
    "city": 0,
    "food": 1,
    "skincare": 2,
    "fashion": 3,
    "home": 4,
    "fitness": 4,
}
PICTURE_COUNTS = (1,) * 9 + (2, 2, 2, 3, 4, 6)  # how many photos a note has
ASPECT_CHOICES = ("3:4",) * 7 + ("1:1",) * 2 + ("4:3",)


@dataclass(frozen=True)
class Scale:
    members: int = len(PEOPLE)
    notes: int = 300
    picture_width: int = 720  # the grid shows 360 and 720; the note page up to 1080
    workers: int | None = None  # processes drawing pictures; None: as many as cores


@dataclass
class Picture:
    scene: str
    seed: int
    aspect: str


@dataclass
class CommentPlan:
    author: str
    body: str
    age: timedelta
    likes: list[str] = field(default_factory=list)
    replies: list[CommentPlan] = field(default_factory=list)


@dataclass
class NotePlan:
    index: int
    author: str
    lang: str
    topic: str
    subject: str
    title: str
    body: str
    place: Place | None
    pictures: list[Picture]
    text_style: int
    age: timedelta  # how long ago it was published
    likes: list[tuple[str, timedelta]] = field(default_factory=list)
    # (who, which of their boards by position or None, when)
    collects: list[tuple[str, int | None, timedelta]] = field(default_factory=list)
    comments: list[CommentPlan] = field(default_factory=list)
    views: int = 0


@dataclass
class Plan:
    members: list[Person]
    joined: dict[str, timedelta]  # how long ago each member signed up
    follows: list[tuple[str, str, timedelta]]
    boards: dict[str, list[tuple[str, str, bool]]]  # username → (name, description, private)
    notes: list[NotePlan]


def board_kinds(person: Person) -> list[int]:
    """The boards a member keeps (indexes into comments.BOARDS): one per topic they follow,
    and always the first (trip ideas)."""
    return sorted({BOARD_FOR_TOPIC[topic] for topic in person.topics} | {0})


def _money(city: str, yuan: float, lang: str) -> str:
    rate, en, zh = _MONEY[_CURRENCY.get(city, "cn")]
    amount = yuan * rate
    step = 1000 if amount > 20_000 else 100 if amount > 2000 else 10 if amount > 200 else 1
    rounded = max(step, round(amount / step) * step)
    return (en if lang == "en" else zh).format(rounded)


class Planner:
    def __init__(self, settings: Settings, scale: Scale, seed: int = 2026) -> None:
        self.settings = settings
        self.scale = scale
        self.rng = random.Random(seed)
        self.members = PEOPLE[: max(1, min(scale.members, len(PEOPLE)))]
        self.by_name = {person.username: person for person in self.members}
        self.texts = writings()

    # --- the community ---------------------------------------------------------------------

    def plan(self) -> Plan:
        joined = {
            p.username: DAY * self.rng.uniform(SPAN_DAYS + 5, SPAN_DAYS + 60) for p in self.members
        }
        notes = [self._note(i) for i in range(self.scale.notes)]
        notes.sort(key=lambda note: note.age, reverse=True)  # oldest first
        return Plan(self.members, joined, self._follows(), self._boards(), notes)

    def _follows(self) -> list[tuple[str, str, timedelta]]:
        pairs: dict[tuple[str, str], timedelta] = {}
        for follower, followee in CORE_FOLLOWS:
            if follower in self.by_name and followee in self.by_name:
                pairs[(follower, followee)] = DAY * self.rng.uniform(SPAN_DAYS, SPAN_DAYS + 5)
        for person in self.members:
            others = [p for p in self.members if p is not person]
            weights = [
                1
                + 2 * len(set(p.topics) & set(person.topics))
                + (1 if p.lang == person.lang else 0)
                for p in others
            ]
            for other in self._sample(others, weights, self.rng.randint(4, 12)):
                pairs.setdefault(
                    (person.username, other.username), DAY * self.rng.uniform(0.5, SPAN_DAYS + 5)
                )
        return [(a, b, age) for (a, b), age in pairs.items()]

    def _boards(self) -> dict[str, list[tuple[str, str, bool]]]:
        boards: dict[str, list[tuple[str, str, bool]]] = {}
        for person in self.members:
            names = said.BOARDS["en" if person.ui_language == "en" else "zh"]
            boards[person.username] = [
                (names[i][0], names[i][1], self.rng.random() < 0.1) for i in board_kinds(person)
            ]
        return boards

    # --- one note --------------------------------------------------------------------------

    def _note(self, index: int) -> NotePlan:
        rng = self.rng
        lang = "zh" if index % 2 == 0 else "en"
        writers = [p for p in self.members if lang in p.writes] or self.members
        # Some members post much more than others, as on any site.
        author = rng.choices(writers, [1 + (len(writers) - i) % 5 for i in range(len(writers))])[0]
        lang = lang if lang in author.writes else author.lang
        topic = rng.choices(author.topics, [3, 2, 1][: len(author.topics)])[0]
        subject_key = rng.choice([k for k, s in SUBJECTS.items() if s.topic == topic])
        subject = SUBJECTS[subject_key]
        city = self._city(author, subject)
        place = self._place(city, subject)
        writing = self.texts[lang][subject_key]
        fills = self._fills(lang, city, place, subject, author)
        for key, options in writing.words.items():
            fills[key] = rng.choice(options)
        title = self._title(writing, fills)
        body = self._body(writing, fills, channel_tag(subject_key, lang))
        age = DAY * (SPAN_DAYS * rng.random() ** 1.5) + timedelta(minutes=rng.randint(5, 600))
        note = NotePlan(
            index=index,
            author=author.username,
            lang=lang,
            topic=topic,
            subject=subject_key,
            title=title,
            body=body,
            place=place,
            pictures=self._pictures(index, topic, city.key, subject),
            text_style=rng.randrange(6),
            age=age,
        )
        self._reactions(note, author, fills)
        return note

    def _city(self, author: Person, subject: Subject) -> City:
        rng = self.rng
        if subject.cities:
            home_ok = author.home in subject.cities and rng.random() < 0.5
            return CITIES[author.home if home_ok else rng.choice(subject.cities)]
        if subject.topic == "travel":
            return CITIES[rng.choice(DESTINATIONS)]
        return CITIES[author.home]

    def _place(self, city: City, subject: Subject) -> Place | None:
        if not subject.place_kind or self.rng.random() < 0.15:
            return None
        fitting = [p for p in city.places if subject.place_kind in p.topics] or list(city.places)
        return self.rng.choice(fitting)

    def _fills(
        self, lang: str, city: City, place: Place | None, subject: Subject, author: Person
    ) -> dict[str, str]:
        rng = self.rng
        en = lang == "en"
        city_name = city.name_en if en else city.name_zh
        friends = [p.username for p in self.members if p is not author]
        if friends and rng.random() < 0.3:  # a mention of a friend who is here too
            together = f"with @{rng.choice(friends)}" if en else f"和 @{rng.choice(friends)} "
        else:
            together = rng.choice(WITH[lang])
        return {
            "city": city_name,
            "place": (place.name_en if en else place.name_zh) if place else city_name,
            "city_tag": city.tag_en if en else city.tag_zh,
            "region": city.region_en if en else city.region_zh,
            "days": str(rng.randint(2, 5)),
            "price": _money(city.key, rng.uniform(*subject.price_cny), lang),
            "stay": _money(city.key, rng.uniform(220, 480), lang),
            "hour": rng.choice(HOURS[lang]),
            "with": together,
        }

    def _title(self, writing: Writing, fills: dict[str, str]) -> str:
        titles = [t.format_map(fills) for t in writing.titles]
        fitting = [t for t in titles if len(t) <= self.settings.note_title_max_length]
        return self.rng.choice(
            fitting or [min(titles, key=len)[: self.settings.note_title_max_length]]
        )

    def _body(self, writing: Writing, fills: dict[str, str], channel: str) -> str:
        picked = [self.rng.choice(slot).format_map(fills) for slot in writing.body]
        paragraphs = [p for p in picked if p]
        tags: list[str] = []
        for raw in (channel, *writing.tags):
            tag = fold_tag(raw.format_map(fills).replace(" ", ""))
            if tag and tag not in tags and len(tag) <= self.settings.tag_max_length:
                tags.append(tag)
        keep = tags[:3] + self.rng.sample(tags[3:], k=min(len(tags) - 3, self.rng.randint(0, 3)))
        keep = keep[: self.settings.note_tags_max]
        tag_line = " ".join(f"#{tag}" for tag in keep)
        body = "\n\n".join(paragraphs)
        limit = self.settings.note_body_max_length - len(tag_line) - 2
        while len(body) > limit and len(paragraphs) > 1:  # drop the middle until it fits
            paragraphs.pop(len(paragraphs) // 2)
            body = "\n\n".join(paragraphs)
        return f"{body[:limit]}\n\n{tag_line}"

    def _pictures(self, index: int, topic: str, city: str, subject: Subject) -> list[Picture]:
        rng = self.rng
        if rng.random() < 0.12:
            return []  # a text-only note: the grid shows its words on a coloured card
        count = min(rng.choice(PICTURE_COUNTS), self.settings.note_images_max)
        aspect = rng.choice(ASPECT_CHOICES)
        own = CITY_SCENES[city] if topic == "travel" else subject.scenes
        pool = list(own) + [s for s in TOPIC_SCENES[topic] if s not in own]
        scenes = [rng.choice(own)] + [rng.choice(pool) for _ in range(count - 1)]
        return [Picture(scene, index * 20 + k, aspect) for k, scene in enumerate(scenes)]

    # --- what others did with it -----------------------------------------------------------

    def _reactions(self, note: NotePlan, author: Person, fills: dict[str, str]) -> None:
        rng = self.rng
        others = [p for p in self.members if p is not author]
        if not others:
            return
        popularity = rng.random() ** 5  # most notes get a few likes, some get many
        weights = [1 + 2 * (note.topic in p.topics) for p in others]
        likers = self._sample(others, weights, round(popularity * len(others)) + rng.randint(0, 2))
        note.likes = [(p.username, note.age * rng.random()) for p in likers]
        for person in likers:
            if rng.random() < 0.35:
                kinds = board_kinds(person)
                wanted = BOARD_FOR_TOPIC[note.topic]
                # Into the board for the topic when they have one, else just saved.
                board = kinds.index(wanted) if wanted in kinds else None
                note.collects.append((person.username, board, note.age * rng.random()))
        note.views = len(likers) * rng.randint(6, 15) + rng.randint(12, 160)
        for _ in range(min(8, round(len(likers) * 0.25) + rng.randint(0, 2))):
            note.comments.append(self._comment(note, author, rng.choice(others), fills))

    def _comment(
        self, note: NotePlan, author: Person, reader: Person, fills: dict[str, str]
    ) -> CommentPlan:
        rng = self.rng
        age = note.age * rng.uniform(0.05, 0.98)
        reader_lang = reader.lang
        questions = said.QUESTIONS[note.lang].get(note.topic, ())
        replies: list[CommentPlan] = []
        if reader_lang != note.lang and note.lang not in reader.writes:
            body = rng.choice(self._fitting(said.FOREIGN[reader_lang], note))
        elif questions and rng.random() < 0.45:
            question, answers = rng.choice(questions)
            body = question
            if rng.random() < 0.3:
                echo = rng.choice([p for p in self.members if p is not reader])
                replies.append(
                    CommentPlan(
                        echo.username, rng.choice(ECHOES[echo.lang]), age * rng.uniform(0.5, 0.95)
                    )
                )
            replies.append(
                CommentPlan(
                    author.username,
                    rng.choice(answers).format_map(fills),
                    age * rng.uniform(0.1, 0.5),
                )
            )
        else:
            pool = said.REACTIONS[note.lang]["any"] + said.REACTIONS[note.lang].get(note.topic, ())
            body = rng.choice(self._fitting(pool, note)).format_map(fills)
            if rng.random() < 0.35:
                replies.append(
                    CommentPlan(
                        author.username,
                        rng.choice(said.THANKS[note.lang]),
                        age * rng.uniform(0.1, 0.6),
                    )
                )
        likers = [author.username] if rng.random() < 0.3 else []
        likers += [
            p.username
            for p in self._sample(
                [p for p in self.members if p.username not in (reader.username, author.username)],
                None,
                rng.choice((0, 0, 0, 1, 2)),
            )
        ]
        return CommentPlan(reader.username, body, age, likers, replies)

    @staticmethod
    def _fitting(lines: tuple[str, ...], note: NotePlan) -> list[str]:
        """No praise for the photos of a note that has none."""
        if note.pictures:
            return list(lines)
        return [line for line in lines if "photo" not in line and "照片" not in line]

    def _sample(self, people: list[Person], weights: list[int] | None, k: int) -> list[Person]:
        """`k` different people, more likely the heavier ones."""
        pool = list(zip(people, weights or [1] * len(people), strict=True))
        chosen: list[Person] = []
        while pool and len(chosen) < k:
            pick = self.rng.choices(range(len(pool)), [w for _, w in pool])[0]
            chosen.append(pool.pop(pick)[0])
        return chosen


def make_plan(settings: Settings, scale: Scale | None = None, seed: int = 2026) -> Plan:
    return Planner(settings, scale or Scale(), seed).plan()
