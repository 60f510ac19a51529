# Makes westshire-no-tounicode.pdf: the gold document westshire-2023-24-delivery-plan.pdf (CID
# TrueType fonts, Identity-H, as Chromium writes them) with the fonts' ToUnicode maps removed, as
# older OpenOffice and some Word exports leave them. poppler then extracts gibberish
# (":HVWVKLUH&RXQFLO"); the text is still in the embedded fonts' cmap tables. Needs pikepdf.
import pikepdf, sys
src, out = sys.argv[1], sys.argv[2]
pdf = pikepdf.open(src)
for obj in pdf.objects:
    if isinstance(obj, pikepdf.Dictionary) and obj.get('/Type') == '/Font' and '/ToUnicode' in obj:
        del obj['/ToUnicode']
pdf.save(out)
