"""Other names the text itself gives an actor: "the Fatah (or Opening Path) Alliance",
"X, also known as Y", "X (known as Y)": the other name stands for the same actor for the
rest of the document (see ``resolve`` for the order of all rules)."""

from __future__ import annotations

from spacy.tokens import Token

from .common import NAME_GLUE
from .normalize import token_key

# The words that introduce another name after a name: "(or Y)", ", also known as Y".
_INTRODUCERS = (("or",), ("also", "known", "as"), ("known", "as"), ("also", "called"),
                ("aka",))


class AliasRules:
    """Mixed into the resolver: reads and writes its state (see resolve._Resolver)."""

    def _resolve_given_names(self) -> None:
        """Find "NAME (or OTHER)", "NAME, (also) known as OTHER" and "NAME (also called
        OTHER)" after a named actor's mention, and make every later capitalised OTHER in
        the text (not yet anyone's) a mention of that actor."""
        given: list[tuple[tuple[str, ...], str, int]] = []  # (name key, actor, from token)
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            last = self._token_ending_at(m.end)
            if last is None or m.actor.startswith("g:") or actor.kind == "state" \
                    or m.rule in ("pronoun", "role", "member"):
                continue
            other = self._other_name(last)
            if other:
                given.append((tuple(token_key(t.text) for t in other), m.actor, other[0].i))
        for key, actor_id, start in given:
            self._name_mentions(key, actor_id, start)

    def _other_name(self, last: Token) -> list[Token]:
        """The tokens of the other name introduced right after ``last``, or []."""
        doc, i = self.doc, last.i + 1
        opener = doc[i].text if i < len(doc) else ""
        if opener not in ("(", ","):
            return []
        i += 1
        lowers = tuple(t.lower_ for t in doc[i:i + 3])
        intro = next((words for words in _INTRODUCERS if lowers[:len(words)] == words), None)
        if intro is None or intro == ("or",) and opener != "(":
            return []  # "X, or Y" is two actors; only "X (or Y)" is one name for another
        i += len(intro)
        if i < len(doc) and doc[i].lower_ == "the":
            i += 1
        name: list[Token] = []
        while i < len(doc) and (doc[i].text[:1].isupper()
                                or name and doc[i].lower_ in NAME_GLUE and doc[i].text not in "-"):
            name.append(doc[i])
            i += 1
        while name and not name[-1].text[:1].isupper():
            name.pop()  # a small word after the name belongs to the sentence
        return name

    def _name_mentions(self, key: tuple[str, ...], actor_id: str, start: int) -> None:
        """Every run of tokens from ``start`` on whose keys are ``key`` and that no
        mention covers yet is a mention of ``actor_id``."""
        doc, n = self.doc, len(key)
        for i in range(start, len(doc) - n + 1):
            window = doc[i:i + n]
            if tuple(token_key(t.text) for t in window) != key \
                    or not window[0].text[:1].isupper():
                continue
            inner = {self.covered[t.i] for t in window if t.i in self.covered}
            if any(not self.result.actors[m.actor].provisional or m.actor == actor_id
                   for m in inner):
                continue  # a name of its own, or found already
            self._drop(inner)  # the tagger's guesses at an unknown name ("March" a date)
            self._add(window[0], window[-1], self.result.actors[actor_id], "alias")
        self._forget_unused_actors()
