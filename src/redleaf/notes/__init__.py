"""Notes and what members do with them: likes, collects into boards, comments, views."""
