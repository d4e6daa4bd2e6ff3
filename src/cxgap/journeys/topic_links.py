"""The links between journey touchpoints and taxonomy topics, worked out on plain values.

A link is stored once, on the topic: ``topics.touchpoint_keys`` lists the keys of the
touchpoints the topic is about. The journey overlay counts a verbatim for a touchpoint when
one of its findings has a topic linked to it. The journey editor (each touchpoint: its topics)
and the taxonomy page (each topic: its touchpoints) both edit that one list; this module turns
one view into the other. Touchpoints are linked by key, so touchpoints sharing a key (a target
version copies the keys of its current journey) share their links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def topics_by_touchpoint(
    topics: Mapping[str, Sequence[str]], keys: Iterable[str]
) -> dict[str, list[str]]:
    """The topics linked to each of the touchpoint ``keys``, in the taxonomy's order.

    >>> topics_by_touchpoint({"price": ["web"], "delay": ["ship", "web"]}, ["web", "ship", "x"])
    {'web': ['price', 'delay'], 'ship': ['delay'], 'x': []}
    """
    linked: dict[str, list[str]] = {key: [] for key in keys}
    for topic, touchpoints in topics.items():
        for key in dict.fromkeys(touchpoints):
            if key in linked:
                linked[key].append(topic)
    return linked


def relink(
    topics: Mapping[str, Sequence[str]],
    wanted: Mapping[str, Iterable[str]],
    dropped: Iterable[str] = (),
) -> dict[str, list[str]]:
    """The new touchpoint keys of every topic whose links change, when each touchpoint of
    ``wanted`` is to be linked to exactly its topics and the ``dropped`` keys to none. Keys
    of other touchpoints keep their place; a new link goes at the end.

    >>> relink({"price": ["web", "shop"], "delay": []}, {"web": ["delay"]}, dropped=["shop"])
    {'price': [], 'delay': ['web']}
    """
    gone = set(dropped) - set(wanted)
    changed: dict[str, list[str]] = {}
    for topic, touchpoints in topics.items():
        keys = [key for key in dict.fromkeys(touchpoints) if key not in gone]
        for key, chosen in wanted.items():
            if topic in set(chosen) and key not in keys:
                keys.append(key)
            elif topic not in set(chosen) and key in keys:
                keys.remove(key)
        if keys != list(touchpoints):
            changed[topic] = keys
    return changed
