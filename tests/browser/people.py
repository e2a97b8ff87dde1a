"""Members the browser tests sign up through the API before driving the pages."""

from __future__ import annotations

import httpx

PASSWORD = "lantern-festival-88"


def api_signup(base_url: str, username: str, display_name: str, lang: str = "en") -> None:
    response = httpx.post(
        f"{base_url}/api/v1/accounts",
        json={
            "username": username,
            "password": PASSWORD,
            "display_name": display_name,
            "ui_language": lang,
        },
    )
    assert response.status_code == 201, response.text
