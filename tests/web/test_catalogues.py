from redleaf.kit.i18n import catalogue, gettext, reset_locale, set_locale
from redleaf.kit.messages import missing_translations


def test_every_message_has_its_chinese_translation() -> None:
    missing = missing_translations("zh_Hans")
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)


def test_placeholders_survive_translation() -> None:
    token = set_locale("zh-Hans")
    try:
        text = gettext("Use at least %(min)s characters.", min=8)
    finally:
        reset_locale(token)
    assert "8" in text and "%" not in text


def test_catalogue_is_loaded_for_both_languages() -> None:
    assert catalogue("zh-Hans").messages
    assert catalogue("en").gettext("Travel") == "Travel"
