"""Replies in the right tone (docs/replies.md): guidance from the channel, the customer's
emotion and their persona, reply templates per situation, and a tone check of a draft.

Pure: values in, values out; no database, no model loaded here (the analyzer's output is
passed in)."""
