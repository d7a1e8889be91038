from pydantic import BaseModel, ConfigDict


class CircleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
    description: str


class CircleList(BaseModel):
    items: list[CircleRead]
