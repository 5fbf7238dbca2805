"""Language selection: Vietnamese unless the visitor chose English with the switch."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Activate the language from the switch's cookie, else Vietnamese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Vietnamese
    officers run English browsers; the product speaks Vietnamese first. The API (/api/) follows
    Accept-Language, as programs expect.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        if api:  # programs say which language they want; error messages follow it
            chosen = translation.get_language_from_request(request, check_path=False)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language" if api else "Cookie"])
        return response
