from typing import Annotated

from fastapi import Path

from app.db import MAX_ID

PostId = Annotated[int, Path(ge=1, le=MAX_ID, description="a post id")]
