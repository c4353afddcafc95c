"""Type aliases shared by the apps. Typing only: nothing here changes behaviour."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    # Text that is either a plain string or a lazy translation (gettext_lazy), as
    # django-stubs' own `_StrOrPromise`; spelled out here because the stubs exist only
    # for the type checker and django-stubs-ext is a dev dependency, not a runtime one.
    StrOrPromise = str | Promise

__all__ = ["StrOrPromise"]
