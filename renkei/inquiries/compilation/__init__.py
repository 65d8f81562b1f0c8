"""Compiling an inquiry's answers (集計), one module per part.

respondents (who submitted, in matrix order, hidden names), data (questions and answers
loaded once), progress (who answered, who has not), summaries (per question), charts,
matrix, comparison (two inquiries), store (the compiled summary in the cache) and tasks
(its background recompile).

Who counts. Only submitted answers are results: each organization's latest submitted
version (selectors.answers.latest_submitted_versions); drafts, answers awaiting confirmation and
corrections not yet submitted again are not. A question's denominator is the number of
organizations that submitted an answer of kind "answered" AND to which the question was
shown (its display condition held for that answer). Organizations that submitted 該当なし
or 回答辞退 answered no question, and an organization that was never shown a conditional
question cannot have chosen an option in it, so neither belongs in "19団体中7団体".
Organizations that were shown a question but left it blank stay in the denominator and are
reported as 無回答, the way councils report them.

Queries. Everything is read in a constant number of queries (questions, submitted versions
with their organizations, and for progress the targets, answers and contacts), whatever
the number of organizations; no loop in these modules touches the database.
"""
