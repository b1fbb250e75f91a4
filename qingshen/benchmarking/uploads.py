"""Reading an uploaded indicator system file, for the import page and the API alike."""

from qingshen.benchmarking.formats import FormatError, xlsx_format, yaml_format

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
