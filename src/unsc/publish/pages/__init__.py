"""Page generators for the site: plain functions from the data to Markdown files ({path: text}), with no
dependency on MkDocs, so that moving to another static-site generator is a configuration change.

- `entities`: a page for every draft (`drafts/<draft_page(id)>.md`), every state that sat on the Council
  (`members/<state_id>.md`) and every situation (`situations/<situation_id>.md`, only when the data has them).
- `charts`: the SVG charts, drawn by matplotlib with reproducible bytes.
"""
