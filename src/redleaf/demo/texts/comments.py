"""Comments and replies of the demo notes, in both languages.

`REACTIONS` are comments that stand alone; `QUESTIONS` are asked by a reader and answered by the
note's author (their fill-ins are the note's: `{city}`, `{place}`, `{price}`, `{stay}`);
`FOREIGN` are what a reader writes under a note in the other language; `THANKS` are the
author's short replies to praise.
"""

from __future__ import annotations

REACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "any": (
            "This is so helpful, thank you!",
            "Saving this 🙌",
            "Love this so much 😍",
            "Okay I need this in my life",
            "The photos are gorgeous",
            "Adding to my list!",
            "This made my day ☀️",
            "Obsessed 💛",
        ),
        "travel": (
            "Adding {city} to my list right now",
            "I was there last spring, brings back memories!",
            "The view 😭",
            "Going next month, this is perfect timing!",
        ),
        "food": (
            "I'm so hungry now 🤤",
            "This looks incredible",
            "Why did I open this before lunch",
            "Must try this!",
        ),
        "skincare": (
            "My skin needed this post",
            "Same experience here, less really is more",
            "Finally someone honest about skincare 🙏",
        ),
        "city": (
            "Such a vibe ✨",
            "This is my neighbourhood! Love it",
            "Need to go back to {city} asap",
        ),
        "fashion": ("So chic 🤍", "Stealing this outfit idea", "The colours work so well"),
        "fitness": (
            "Doing this tomorrow morning!",
            "Motivation unlocked 💪",
            "Tried it, legs are shaking 😂",
        ),
        "home": ("So cosy 🥹", "This is my dream room", "The lamp makes all the difference"),
    },
    "zh": {
        "any": (
            "太有用了，感谢分享！",
            "先收藏了🙌",
            "好喜欢😍",
            "马住马住",
            "照片好好看",
            "已加入清单！",
            "被治愈了☀️",
            "爱了爱了💛",
        ),
        "travel": (
            "{city}已加入旅行清单",
            "去年春天去过，好怀念！",
            "这个风景😭",
            "下个月正好要去，太及时了！",
        ),
        "food": ("看饿了🤤", "看起来也太好吃了", "为什么要在饭前刷到", "必须去吃！"),
        "skincare": ("正好需要这篇", "同感，精简护肤真的有用", "终于有人说真话了🙏"),
        "city": ("氛围感拉满✨", "这是我家附近！", "好想再去一次{city}"),
        "fashion": ("好有气质🤍", "抄作业了", "配色好舒服"),
        "fitness": ("明天早上就练！", "动力满满💪", "练完腿在抖😂"),
        "home": ("好温馨🥹", "这就是我的梦中情房", "落地灯真的是灵魂"),
    },
}

QUESTIONS: dict[str, dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "en": {
        "travel": (
            (
                "How many days would you recommend?",
                ("Three is perfect, four if you like to go slow.",),
            ),
            ("Where did you stay?", ("Near {place}, about {stay} a night. Would book again!",)),
            ("Is it okay for a solo trip?", ("Totally, I felt safe everywhere 😊",)),
        ),
        "food": (
            ("How much per person?", ("About {price} each, totally worth it.",)),
            ("Do they have an English menu?", ("Picture menu! Just point 😂",)),
            ("Is it very spicy?", ("Ask for mild, still has a kick though 🌶️",)),
            ("Where is this?", ("Near {place} in {city}!",)),
        ),
        "skincare": (
            (
                "Does this work for oily skin?",
                ("I'm combination and it works, oily friends like it too.",),
            ),
            ("How long until you saw results?", ("About a month of using it every day.",)),
        ),
        "city": (
            ("What's the name of this place?", ("It's near {place}, I'll DM you!",)),
            ("Is it busy at weekends?", ("Saturday afternoons yes, mornings are calm.",)),
        ),
        "fashion": (
            ("Where's the coat from?", ("Second-hand! Had it for years.",)),
            ("How tall are you?", ("160cm 😊",)),
        ),
        "fitness": (
            ("Beginner friendly?", ("Yes! Do fewer reps at first.",)),
            ("How often do you do this?", ("Three times a week.",)),
        ),
        "home": (
            ("Where's the lamp from?", ("Second-hand market, about {price}!",)),
            ("Is it a rental?", ("Yes, no nails used anywhere 😄",)),
        ),
    },
    "zh": {
        "travel": (
            ("玩几天比较合适？", ("三天刚好，喜欢慢节奏就四天。",)),
            ("住在哪里呀？", ("住在{place}附近，一晚{stay}左右，推荐！",)),
            ("一个人去安全吗？", ("很安全，放心去😊",)),
        ),
        "food": (
            ("人均多少呀？", ("人均{price}左右，很值！",)),
            ("具体在哪里？", ("在{city}{place}附近～",)),
            ("辣吗？不太能吃辣", ("可以点微辣，不过还是有点辣🌶️",)),
            ("要排队吗？", ("饭点要排，错峰去就好。",)),
        ),
        "skincare": (
            ("油皮能用吗？", ("我是混油，用着没问题～",)),
            ("多久见效的？", ("坚持用了一个月左右。",)),
        ),
        "city": (
            ("求店名！", ("在{place}附近，私信你～",)),
            ("周末人多吗？", ("周六下午人多，早上很清静。",)),
        ),
        "fashion": (
            ("外套求链接！", ("是二手的，穿好几年了～",)),
            ("博主多高呀？", ("160😊",)),
        ),
        "fitness": (
            ("新手能练吗？", ("可以！先少做几个。",)),
            ("一周练几次？", ("一周三次。",)),
        ),
        "home": (
            ("落地灯哪里买的？", ("二手市场淘的，{price}左右！",)),
            ("是租的房子吗？", ("是的，全程没打孔😄",)),
        ),
    },
}

# A reader under a note in the other language: English speakers on Chinese notes, and Chinese
# speakers welcoming the newcomers in both languages.
FOREIGN: dict[str, tuple[str, ...]] = {
    "en": (
        "I can't read this yet but the photos say everything 😍",
        "Translate button, do your thing! This looks amazing",
        "Learning Chinese just to read posts like this",
        "Hello from the US! This is beautiful 👋",
        "Wow, adding this to my China trip list",
    ),
    "zh": (
        "Welcome to RedNote! 欢迎欢迎～",
        "写得好好！欢迎来中国玩",
        "Your Chinese food taste is great 👍 好品味！",
        "欢迎小伙伴！有问题可以问我们",
        "好漂亮！想去～ So pretty!",
    ),
}

THANKS: dict[str, tuple[str, ...]] = {
    "en": ("Thank you! 🥰", "Haha yes!", "So glad it helps!", "You'll love it!", "🙏💛"),
    "zh": ("谢谢宝～🥰", "哈哈是的！", "有用就好～", "去了一定会喜欢的！", "🙏💛"),
}

# Board names members collect into, by language.
BOARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Trip ideas", "Places I want to go"),
        ("Food to try", "Restaurants and recipes"),
        ("Skincare", "What to try next"),
        ("Style", "Outfit inspiration"),
        ("Home ideas", ""),
    ),
    "zh": (
        ("想去的地方", "旅行灵感"),
        ("美食清单", "下次去吃"),
        ("护肤干货", ""),
        ("穿搭灵感", "抄作业"),
        ("家居灵感", "以后的家"),
    ),
}
