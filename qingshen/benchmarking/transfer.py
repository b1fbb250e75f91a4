"""Indicator system files in and out, for the pages and the API alike: reading an upload and
answering a download."""

from django.http import HttpResponse

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking.formats import FormatError, xlsx_format, yaml_format

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_UPLOAD = 5 * 1024 * 1024


def read_upload(upload) -> dict:
    """A definition from an uploaded .xlsx or YAML file; FormatError in Chinese otherwise."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD:
        raise FormatError("文件超过 5 MB，指标体系文件不应这么大。")
    data = upload.read()
    if name.endswith(".xlsx"):
        return xlsx_format.read(data)
    if name.endswith((".yaml", ".yml")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("YAML 文件须为 UTF-8 编码。") from None
        return yaml_format.load(text)
    raise FormatError("只能导入 Excel（.xlsx）或 YAML（.yaml/.yml）文件。")


def export_response(system, fmt: str) -> HttpResponse:
    """The version as .xlsx (laid out like the official table) or, by default, YAML."""
    definition = spec.from_json(system.definition)
    if fmt == "xlsx":
        response = HttpResponse(xlsx_format.write(definition), content_type=XLSX)
    else:
        fmt = "yaml"
        response = HttpResponse(yaml_format.dump(definition), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{system.code}-v{system.version}.{fmt}"'
    return response
