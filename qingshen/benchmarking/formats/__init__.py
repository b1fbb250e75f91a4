"""File formats of indicator systems (清洁生产评价指标体系): YAML (`yaml_format`), .xlsx laid out
like the official tables (`xlsx_format`), the checks an entered table must pass (`validation`)
and the reader of the partial official table shipped in `benchmarking/data` (`source_csv`).

All of them read into and write from the *definition* dict of `benchmarking.definition`.
Readers refuse only what they cannot read at all (`FormatError`); wrong values (a weight that is
not a number, levels out of order) are read as they are and reported by `validation.validate()`,
which names the row, so that an administrator sees every problem of a table at once.
"""


class FormatError(ValueError):
    """A file that cannot be read as an indicator system; the message says why, in Chinese."""
