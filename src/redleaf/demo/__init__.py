"""The demo community `redleaf seed` creates, so that `make run` opens on a living site.

- `people`: the members, Chinese- and English-speaking; `places`: cities and places with
  both names and coordinates; `texts`: the words of notes and comments in both languages.
- `content`: plans the community as plain data (deterministic from one seed).
- `drawing`: the pictures, drawn with Pillow (no photograph is downloaded or shipped).
- `world`: makes the plan real through the accounts, media and notes services.
"""
