from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import String

from app.accounts import pseudonyms
from app.accounts.models import Account, Role

PASSWORD_MIN, PASSWORD_MAX = 8, 256
# Some single letters spell out a whole phrase once folded ("\ufdfa" becomes 18 letters), so a
# name within the length limit can still have a key longer than its column holds.
_KEY_TYPE = Account.__table__.c.pseudonym_key.type
assert isinstance(_KEY_TYPE, String) and _KEY_TYPE.length is not None
KEY_MAX: int = _KEY_TYPE.length
MSG_KEY_TOO_LONG = (
    "Some of these letters stand for whole words, which makes the name too long, "
    "so a shorter version will fit."
)


def _clean_pseudonym(value: str) -> str:
    name = pseudonyms.clean(value)
    if (problem := pseudonyms.validate(name)) is not None:
        raise ValueError(problem)
    if len(pseudonyms.key(name)) > KEY_MAX:
        raise ValueError(MSG_KEY_TOO_LONG)
    return name


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pseudonym: str
    role: Role
    created_at: datetime


def _password_differs(password: str, info: ValidationInfo) -> str:
    name = info.data.get("pseudonym")
    if name and pseudonyms.key(name) == pseudonyms.key(password):
        raise ValueError("Please choose a password that is different from your pseudonym.")
    return password


class AccountCreate(BaseModel):
    pseudonym: str | None = Field(default=None, max_length=200)
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)

    _password = field_validator("password")(_password_differs)

    @field_validator("pseudonym")
    @classmethod
    def _pseudonym(cls, value: str | None) -> str | None:
        return _clean_pseudonym(value) if value is not None and value.strip() else None


class AccountCreated(BaseModel):
    account: AccountRead
    recovery_codes: list[str]


class SessionCreate(BaseModel):
    pseudonym: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


class SessionCreated(BaseModel):
    token: str
    expires_at: datetime
    account: AccountRead


class AccountRecover(BaseModel):
    pseudonym: str = Field(min_length=1, max_length=200)
    recovery_code: str = Field(min_length=1, max_length=100)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)

    _password = field_validator("new_password")(_password_differs)


class AccountRecovered(BaseModel):
    account: AccountRead
    recovery_codes_left: int


class SessionRead(BaseModel):
    id: int
    kind: Literal["api", "web"] = Field(description="web: a browser; api: an app or script")
    created_at: datetime
    last_seen_at: datetime = Field(description="to within a few minutes")
    expires_at: datetime
    current: bool = Field(description="the session this request was made with")


class SessionList(BaseModel):
    items: list[SessionRead]


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class AccountDelete(BaseModel):
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    content: Literal["erase", "anonymise"]


class PseudonymSuggestions(BaseModel):
    items: list[str]
