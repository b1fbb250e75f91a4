from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "qingshen.files"
    label = "files"
    verbose_name = "文件"
