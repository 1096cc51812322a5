"""Draw credit_management/static/description/icon.png (128 x 128): a white
shield with a credit card and a check mark on a teal tile, in Odoo's flat
icon style. Pillow only; rerun after changing the drawing.

    .venv/bin/python scripts/draw_icon.py
"""
import os

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "credit_management", "static", "description", "icon.png")
SCALE = 4  # draw large, then downsample: smooth edges without anti-aliasing support
SIZE = 128
TEAL = (0, 135, 140)
TEAL_DARK = (0, 98, 104)
WHITE = (255, 255, 255)
GOLD = (246, 190, 66)
GREEN = (46, 160, 90)


def s(*values):
    return [v * SCALE for v in values]


def draw():
    img = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(s(0, 0, 127, 127), radius=22 * SCALE, fill=TEAL)
    # a long flat shadow to the lower right, as Odoo's app icons have
    d.polygon(s(101, 26, 127, 52, 127, 127, 60, 127, 44, 96), fill=TEAL_DARK)
    d.rounded_rectangle(s(0, 0, 127, 127), radius=22 * SCALE, outline=TEAL, width=1)
    # shield: flat top, straight sides, pointed bottom
    shield = s(64, 14, 101, 26, 101, 60, 96, 80, 84, 96, 64, 110, 44, 96, 32, 80,
               27, 60, 27, 26)
    d.polygon(shield, fill=WHITE)
    # credit card across the shield
    d.rounded_rectangle(s(38, 42, 90, 76), radius=5 * SCALE, fill=TEAL)
    d.rectangle(s(38, 49, 90, 56), fill=TEAL_DARK)
    d.rounded_rectangle(s(44, 61, 54, 69), radius=2 * SCALE, fill=GOLD)
    d.rectangle(s(60, 64, 82, 66), fill=WHITE)
    # check mark badge
    d.ellipse(s(72, 72, 98, 98), fill=GREEN, outline=WHITE, width=3 * SCALE)
    d.line(s(78, 85, 83, 90, 92, 79), fill=WHITE, width=4 * SCALE, joint="curve")
    icon = img.resize((SIZE, SIZE), Image.LANCZOS)
    background = Image.new("RGB", (SIZE, SIZE), WHITE)
    background.paste(icon, mask=icon.split()[3])
    return background


if __name__ == "__main__":
    draw().save(TARGET, optimize=True)
    print("draw_icon: wrote %s" % os.path.relpath(TARGET, ROOT))
