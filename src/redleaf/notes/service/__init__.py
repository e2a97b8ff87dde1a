"""Business rules of notes: check_* validates, do_* changes and emits, the rest reads.

Split by subject; everything a route or a page needs is importable from here.
"""

from redleaf.notes.service.boards import do_create_board, do_delete_board, do_update_board
from redleaf.notes.service.comments import (
    comments_out,
    comments_page,
    do_comment,
    do_delete_comment,
    do_like_comment,
    do_unlike_comment,
    replies_page,
)
from redleaf.notes.service.interactions import (
    NoteAction,
    do_collect,
    do_like,
    do_record_view,
    do_uncollect,
    do_unlike,
    viewer_key,
)
from redleaf.notes.service.members import do_forget_member
from redleaf.notes.service.notes import (
    do_create_note,
    do_delete_note,
    do_settle_media,
    do_update_note,
)
from redleaf.notes.service.present import board_out, boards_out, note_out, notes_out, person_out
from redleaf.notes.service.reads import (
    board_notes_page,
    boards_of,
    collects_page,
    explore_page,
    notes_page_by,
)

__all__ = [
    "NoteAction",
    "board_notes_page",
    "board_out",
    "boards_of",
    "boards_out",
    "collects_page",
    "comments_out",
    "comments_page",
    "do_collect",
    "do_comment",
    "do_create_board",
    "do_create_note",
    "do_delete_board",
    "do_delete_comment",
    "do_delete_note",
    "do_forget_member",
    "do_like",
    "do_like_comment",
    "do_record_view",
    "do_settle_media",
    "do_uncollect",
    "do_unlike",
    "do_unlike_comment",
    "do_update_board",
    "do_update_note",
    "explore_page",
    "note_out",
    "notes_out",
    "notes_page_by",
    "person_out",
    "replies_page",
    "viewer_key",
]
