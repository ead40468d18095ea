from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "Vous n'avez pas accès à cette page."
    return render(request, "403.html", {"title": "Accès refusé", "message": message}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", {"title": "Page introuvable"}, status=404)
