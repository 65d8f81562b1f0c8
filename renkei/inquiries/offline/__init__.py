"""Answering offline: an organization's own answer sheet (.xlsx) out, the filled sheet in.

layout (the sheet's shape), download (writing it), upload_checks (a hostile file refused
before it is parsed) and reading (cells into the answer form, saved as a draft).

The sheet carries, on a very hidden and protected sheet, the inquiry id, the
organization's code and id, a fingerprint of the questions' layout, the answer's revision
and a signature over all of them (django.core.signing, keyed by SECRET_KEY). An upload is
refused unless the signature holds and names this inquiry and this organization, so a
sheet cannot be replayed for another organization or another inquiry, nor edited to claim
one; it is saved only if nobody saved the answer since the sheet was made (else 409, as
the web form). A hidden column names each row's question, so a row inserted, deleted or
moved is refused rather than read into the wrong question.

The cells are read into the answer form (forms.AnswerForm), so every rule of the web form
applies; errors name the cell the way Excel does (「B5: …」). Nothing is saved unless the
whole sheet is valid; the answer is then saved as a draft through services.answer_save.
"""
