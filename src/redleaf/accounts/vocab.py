"""The fixed choices members pick from: interests (the Explore channels) and languages read.

Labels are English message ids, translated where they are shown.
"""

from __future__ import annotations

from redleaf.kit.i18n import lazy

INTERESTS: dict[str, str] = {
    "travel": lazy("Travel"),
    "food": lazy("Food"),
    "skincare": lazy("Skincare"),
    "makeup": lazy("Makeup"),
    "fashion": lazy("Fashion"),
    "home": lazy("Home"),
    "fitness": lazy("Fitness"),
    "photography": lazy("Photography"),
    "pets": lazy("Pets"),
    "study": lazy("Study"),
    "music": lazy("Music"),
    "outdoors": lazy("Outdoors"),
    "cooking": lazy("Cooking"),
    "tech": lazy("Tech"),
    "books": lazy("Books"),
    "art": lazy("Art"),
}

# Languages a member can say they read (ISO 639-1), with their names in their own script.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "ru": "Русский",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
}

UI_LANGUAGES = ("en", "zh-Hans")

# Handles that would be confused with pages, staff or the system.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "api",
        "static",
        "redleaf",
        "moderator",
        "moderators",
        "mod",
        "support",
        "help",
        "root",
        "system",
        "me",
        "settings",
        "login",
        "logout",
        "signup",
        "onboarding",
        "explore",
        "following",
        "chat",
        "notifications",
        "search",
        "staff",
        "official",
        "security",
        "null",
        "undefined",
        "about",
        "guidelines",
        "xiaohongshu",
        "rednote",
    }
)
