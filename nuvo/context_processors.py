def membership(request) -> dict:
    member = getattr(request, "member", None)
    return {"member": member if member else None}
