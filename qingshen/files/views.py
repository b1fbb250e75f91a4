from django.http import FileResponse


def serve(stored_file, *, inline=True) -> FileResponse:
    """The response for a file the calling view has already decided the user may see."""
    return FileResponse(stored_file.file.open("rb"), as_attachment=not inline,
                        filename=stored_file.original_name, content_type=stored_file.mime)
