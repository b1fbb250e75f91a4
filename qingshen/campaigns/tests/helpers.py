import html
import re


def page_text(response) -> str:
    """Visible text of a page: tags removed, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def field_errors(response, form="form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}
