from sqlalchemy import select
from sqlalchemy.orm import Session

from app.circles.models import Circle
from app.errors import NotFound


def list_circles(session: Session) -> list[Circle]:
    return list(session.scalars(select(Circle).order_by(Circle.position, Circle.name)))


def find_circle(session: Session, slug: str) -> Circle | None:
    return session.scalar(select(Circle).where(Circle.slug == slug))


def get_circle(session: Session, slug: str) -> Circle:
    circle = find_circle(session, slug)
    if circle is None:
        raise NotFound("There is no circle at this address.")
    return circle


def ensure_circle(
    session: Session, *, slug: str, name: str, description: str, position: int
) -> Circle:
    circle = find_circle(session, slug)
    if circle is None:
        circle = Circle(slug=slug, name=name, description=description, position=position)
        session.add(circle)
        session.flush()
    return circle


def slug_of(session: Session, *, circle_id: int) -> str:
    return session.get_one(Circle, circle_id).slug


def slugs_of(session: Session, *, circle_ids: set[int]) -> dict[int, str]:
    return dict(
        session.execute(select(Circle.id, Circle.slug).where(Circle.id.in_(circle_ids))).all()
    )
