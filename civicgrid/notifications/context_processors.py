from django.utils.functional import SimpleLazyObject


def unread(request):
    """`UNREAD_NOTIFICATIONS` for the navigation, counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from civicgrid.notifications.selectors import unread_count

    return {"UNREAD_NOTIFICATIONS": SimpleLazyObject(lambda: unread_count(actor=user))}
