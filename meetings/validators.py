"""Single-line text: names, titles and places hold no line breaks, whoever writes them.

A title with a line break would break every place a title is one line: calendar files,
export cells read as rows, e-mail subjects, page headings. The field's validator refuses
it with a message next to the field (forms, the API and the importer all validate
through the model), and a check constraint holds the line in the database.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# Every character Python counts as ending a line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

single_line = RegexValidator(
    f"[{LINE_BREAKS}]",
    inverse_match=True,
    message="Keep this to one line: line breaks are not allowed here.",
    code="line_break",
)


class SingleLineConstraint(models.CheckConstraint):
    """No CR or LF in ``field``, checked by the database.

    Python-side validation is the field's ``single_line`` validator, which names the
    field; checking the constraint again would cost a query per row and say it less well.
    """

    def __init__(self, *, field: str, name: str):
        self.field = field
        super().__init__(
            condition=~Q(**{f"{field}__contains": "\n"}) & ~Q(**{f"{field}__contains": "\r"}), name=name
        )

    def validate(self, model, instance, exclude=None, using=None):
        return

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (), {"field": self.field, "name": self.name}


def single_line_constraints(model_name: str, *fields: str) -> list[SingleLineConstraint]:
    return [SingleLineConstraint(field=name, name=f"{model_name}_{name}_single_line") for name in fields]
