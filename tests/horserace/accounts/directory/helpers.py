"""Employee files for the directory tests."""

from horserace.accounts.directory.csvfile import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

HEADER = ",".join(REQUIRED_COLUMNS)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def person(
    number,
    email=None,
    name=None,
    dept="eng",
    dept_name="Engineering",
    parent="",
    manager="",
    status="active",
) -> str:
    email = email or f"{number.lower()}@corp.example"
    name = name or f"Person {number}"
    return ",".join([number, email, name, dept, dept_name, parent, manager, status])


__all__ = ["HEADER", "OPTIONAL_COLUMNS", "csv_bytes", "person"]
