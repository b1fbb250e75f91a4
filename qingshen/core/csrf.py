"""The page a post refused by CSRF protection gets: in Chinese, and saying what to do.

It happens when a page was open so long that its security token went stale, or the browser's
cookies were cleared; what the user typed is still in the browser (see core/static/core/drafts.js),
so the page says to go back, refresh and submit again.
"""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "core/csrf_failure.html", {"reason": reason}, status=403)
