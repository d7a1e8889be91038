"""A pool of stories and replies as Kindred stores them, made once with the app's own functions.

Texts are put together from hand-written sentences in the voice of the forum (recovery,
coping, thanks), with the Markdown members use: paragraphs, emphasis, lists, quotes and the
odd link. Each one is screened, rendered and sanitised exactly as a post is on write; any
that screening would flag is dropped, so every seeded post is one the app publishes at once.
"""

import random
from dataclasses import dataclass
from typing import Any

from app.safety import sanitize
from app.stories import service as stories
from app.text import clean_line

OPENINGS = [
    "I have been reading here for a few months and finally decided to write something.",
    "This is the first time I have shared any of this outside my own head.",
    "It has been a strange few weeks, so I thought I would put it down somewhere kind.",
    "Someone in this circle asked how the last year went for me, so here it is.",
    "I am writing this on the bus on the way home from my appointment.",
    "Long story, so grab a cup of tea if you want to read all of it.",
    "I promised myself I would post when I reached this point, and here I am.",
    "Today was better than yesterday, and I want to remember why.",
]
SENTENCES = [
    "Mornings are still the hardest part of the day for me.",
    "I started keeping a small notebook by the bed to write down how I slept.",
    "My sister has been patient with me even when I cancel plans at the last minute.",
    "The waiting list was long, but the first session felt like a door opening a little.",
    "I used to think asking for help meant I had failed at something.",
    "Walking the dog around the block counts as a win on the slow days.",
    "There were weeks when the dishes piled up and I just let them.",
    "I noticed that my chest gets tight on Sunday evenings before the working week.",
    "Breathing slowly for four counts in and six counts out helps more than I expected.",
    "My counsellor suggested I name three things I can see when the worry spirals.",
    "I went back to the pottery class I left two years ago.",
    "Cooking one proper meal a week has become a small ritual I look forward to.",
    "Some days the best I can do is open the curtains and drink a glass of water.",
    "I told my manager a little about what was going on and she was kinder than I feared.",
    "The group on Thursday evenings is the one hour of the week I never skip.",
    "I had a setback in the spring and it took a while to stop blaming myself for it.",
    "Sleep came back slowly, first one good night a week and then two.",
    "I keep a list on my phone of people I can text when things get loud in my head.",
    "Learning to say no to extra shifts was harder than I thought it would be.",
    "My grandmother used to say that the garden does not grow faster if you shout at it.",
    "I have been sober for eleven months, and every one of them took work.",
    "Music helps, especially the old albums I listened to as a teenager.",
    "The medication took about six weeks to make any difference that I could notice.",
    "I was nervous about the side effects, so I wrote my questions down before the visit.",
    "Getting outside before ten in the morning changes the shape of my whole day.",
    "My friend drove me to the first meeting and waited in the car park.",
    "I still have days when I do not want to talk to anyone, and that is allowed.",
    "Journalling felt silly at first, but now I miss it when I skip a day.",
    "Being around people who understand without explanations is a relief.",
    "I used to hide the hard weeks from everyone, and it only made them longer.",
    "There is a bench by the river where I sit and watch the boats for ten minutes.",
    "The panic used to arrive without warning, and now I can usually see it coming.",
    "I learned that a bad hour is not a bad day, and a bad day is not a bad life.",
    "My partner and I agreed on a word I can say when I need a quiet evening.",
    "I found a volunteer shift at the food bank and it gives my week some structure.",
    "Reading a few pages before bed instead of scrolling has helped my sleep.",
    "Cravings come in waves, and I remind myself that waves pass.",
    "The first month back at work was tiring in a way that is hard to describe.",
    "I am proud of the small things this week, like answering every email.",
    "We moved house in the autumn and the change shook me more than I expected.",
    "My doctor listened properly this time and we made a plan together.",
    "I keep coming back to this circle because people here are honest and gentle.",
    "The holidays are complicated for my family, so I plan my exits in advance.",
    "Swimming on Saturday mornings is the one thing that quiets my mind completely.",
    "I wrote a letter to my younger self and cried, but in a good way.",
    "Eating regular meals sounds simple, but it made a real difference to my mood.",
    "I am learning to notice the thoughts without believing every one of them.",
    "A colleague shared her own story with me and I felt far less alone.",
    "Some evenings I just sit with a warm drink and let the day settle.",
    "I started a tiny balcony garden with herbs and two tomato plants.",
]
QUESTIONS = [
    "Has anyone else found that routines help more than motivation?",
    "How do you all handle the evenings when everything feels heavier?",
    "What helped you get through the first few weeks of a new treatment?",
    "Does anyone have tips for talking to family about this?",
    "How do you keep going on the days when nothing seems to change?",
]
LIST_ITEMS = [
    "a short walk, even just to the corner",
    "water and something to eat before noon",
    "one message to someone I trust",
    "ten minutes of stretching",
    "writing down one thing that went okay",
    "turning the phone off an hour before bed",
    "a shower and clean clothes",
    "sitting outside for a few minutes",
    "the breathing exercise from group",
    "a playlist of songs that calm me down",
]
LINKS = [
    "[the mood diary I use](https://example.org/mood-diary)",
    "[this grounding exercise](https://example.org/grounding)",
    "[a guide to sleep hygiene](https://example.org/sleep)",
    "[the peer group's page](https://example.org/peer-group)",
]
REPLY_OPENINGS = [
    "Thank you for sharing this.",
    "This really resonated with me.",
    "I am so glad you wrote this.",
    "Reading this made my morning.",
    "Sending you a lot of warmth.",
    "You are not alone in this.",
    "I could have written parts of this myself.",
    "What a lot of work you have done.",
]
REPLY_SENTENCES = [
    "The part about mornings is exactly how it feels for me too.",
    "Small wins are still wins, and it sounds like you are collecting them.",
    "It took me a long time to learn that rest is not the same as giving up.",
    "When the evenings get heavy I put the kettle on and call my brother.",
    "Be gentle with yourself about the setback, it does not erase the progress.",
    "I found that writing things down helped me see patterns I had missed.",
    "Our group meets on Tuesdays if you ever want another place to talk.",
    "The breathing trick you mentioned works for me on the bus as well.",
    "It is brave to tell your manager, and it sounds like it went well.",
    "Keep going, the slow weeks add up to something bigger than they seem.",
    "I had the same worry about side effects and my pharmacist was very helpful.",
    "Routine saved me when motivation did not show up.",
    "Your grandmother sounds like a wise woman.",
    "I tried the notebook idea last week and it has helped already.",
    "Proud of you for going back to the class.",
    "Eleven months is something to celebrate, well done.",
    "The river bench sounds lovely, I need a place like that.",
    "It is okay that some days are just about getting through.",
    "Thank you for the list, I am going to copy it onto my fridge.",
    "I hope the next few weeks bring more good nights of sleep.",
]
REPLY_CLOSINGS = [
    "Take care of yourself.",
    "Thinking of you.",
    "One day at a time.",
    "Looking forward to hearing how it goes.",
    "You have got this.",
    "",
]
TITLE_STARTS = [
    "Six months on",
    "A small win today",
    "What helped me this winter",
    "Back at work",
    "Learning to rest",
    "My first group meeting",
    "Slow mornings",
    "One year sober",
    "Talking to my family",
    "After a setback",
    "Sleep, finally",
    "Things I wish I had known",
    "A good week",
    "Starting again",
    "The garden project",
]
TITLE_ENDS = ["", " and what comes next", ", a long post", " (update)", ": a few thoughts", ""]
WARNINGS = ["mentions of hospital stays", "talk of relapse", "family conflict", "medication"]


@dataclass(frozen=True)
class Text:
    """One post's text fields exactly as the app would store them."""

    body: str
    body_html: str
    excerpt: str
    screening: dict[str, Any]


@dataclass(frozen=True)
class Pool:
    stories: list[Text]
    replies: list[Text]
    titles: list[str]
    warnings: list[str]


def _sentences(rng: random.Random, pool: list[str], count: int) -> str:
    return " ".join(rng.sample(pool, count))


def _emphasise(rng: random.Random, paragraph: str) -> str:
    words = paragraph.split(" ")
    i = rng.randrange(len(words))
    if words[i].isalpha():
        mark = rng.choice(["*", "**"])
        words[i] = f"{mark}{words[i]}{mark}"
    return " ".join(words)


def story_markdown(rng: random.Random) -> str:
    """About 1,000 to 3,000 characters in three to eight paragraphs."""
    target = rng.randint(1000, 3000)
    parts = [rng.choice(OPENINGS)]
    length = len(parts[0])
    while length < target:
        kind = rng.random()
        if kind < 0.12:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
            part = "What helps on the bad days:\n\n" + "\n".join(f"- {item}" for item in items)
        elif kind < 0.18:
            part = "> " + rng.choice(SENTENCES)
        else:
            part = _sentences(rng, SENTENCES, rng.randint(2, 5))
            if rng.random() < 0.3:
                part = _emphasise(rng, part)
            if rng.random() < 0.08:
                part += f" I found {rng.choice(LINKS)} useful."
        parts.append(part)
        length += len(part) + 2
    parts.append(rng.choice(QUESTIONS))
    return "\n\n".join(parts)


def reply_markdown(rng: random.Random) -> str:
    """About 100 to 800 characters: one or two short paragraphs."""
    target = rng.randint(100, 800)
    text = rng.choice(REPLY_OPENINGS)
    while len(text) < target - 60:
        sentence = rng.choice(REPLY_SENTENCES)
        text += ("\n\n" if rng.random() < 0.15 else " ") + sentence
    if rng.random() < 0.2:
        text = _emphasise(rng, text)
    closing = rng.choice(REPLY_CLOSINGS)
    return f"{text} {closing}".strip()[:800].rstrip()


def _stored(body: str) -> Text | None:
    """The post as `reply_to_story` / `publish_story` would store it; None if it is held."""
    screened = stories.screen_fields(body=body)
    if screened.stigma or screened.crisis or screened.redactions:
        return None
    kept = screened.fields["body"] or ""
    return Text(
        body=kept,
        body_html=sanitize.render_markdown(kept),
        excerpt=sanitize.plain_text(kept),
        screening=screened.report(held=False),
    )


def make_pool(*, stories_count: int = 200, replies_count: int = 600, seed: int = 7) -> Pool:
    rng = random.Random(seed)  # noqa: S311 (repeatable text, not a secret)
    story_texts: list[Text] = []
    while len(story_texts) < stories_count:
        if (text := _stored(story_markdown(rng))) is not None:
            story_texts.append(text)
    reply_texts: list[Text] = []
    while len(reply_texts) < replies_count:
        if (text := _stored(reply_markdown(rng))) is not None:
            reply_texts.append(text)
    titles = sorted({clean_line(s + e) for s in TITLE_STARTS for e in TITLE_ENDS})
    return Pool(story_texts, reply_texts, titles, WARNINGS)
