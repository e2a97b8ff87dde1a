"""Every table, imported in one place for Alembic and the test database."""

from redleaf.accounts import models as accounts_models  # noqa: F401
from redleaf.kit.db import Base
from redleaf.kit.jobs import models as jobs_models  # noqa: F401
from redleaf.media import models as media_models  # noqa: F401
from redleaf.moderation import models as moderation_models  # noqa: F401
from redleaf.notes import models as notes_models  # noqa: F401
from redleaf.notifications import models as notifications_models  # noqa: F401
from redleaf.search import models as search_models  # noqa: F401
from redleaf.search import pg_models as search_pg_models  # noqa: F401
from redleaf.translation import models as translation_models  # noqa: F401

metadata = Base.metadata
