"""The organisers' work on the catalogue: create, edit, retire and re-check entries, import and
export them with a preview, and the households' suggestions they accept or decline."""
