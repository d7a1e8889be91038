from functools import lru_cache

from app.config import get_settings
from app.safety.crisis import HelpResource, load_resources


@lru_cache
def resources() -> list[HelpResource]:
    """The deployment's list (KINDRED_HELP_RESOURCES_FILE), else the bundled international one."""
    return load_resources(get_settings().help_resources_file)
