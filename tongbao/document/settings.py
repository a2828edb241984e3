"""The document's settings (mkdocs.yml, `extra.tongbao.document`, declared in config.py):
版记 words, 份号/密级, fonts. The defaults are open-licensed fonts (Noto Serif/Sans SC,
pinned); a bureau with licensed 仿宋_GB2312, 方正小标宋, 黑体, 楷体 points `fonts` at its
own files (never shipped in the repository)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import FONT_FACES, Config

# The faces of GB/T 9704: 发文机关标志 and title (小标宋), body (仿宋), 一、 headings (黑体),
# （一） headings (楷体).
FACES = tuple(face for face, _, _ in FONT_FACES)
FACE_WORDS = {face: words for face, words, _ in FONT_FACES}
# Names Word looks up on the clerk's PC (East Asian font of each style).
WORD_FONTS = {face: name for face, _, name in FONT_FACES}


@dataclass(frozen=True)
class DocumentSettings:
    cc: str = ""  # 抄送
    printer: str = ""  # 印发机关; empty: the issuer
    copy_number: bool = False  # print a 份号 line
    classification: str = ""  # 密级 (e.g. 内部); empty: none
    fonts: tuple[tuple[str, str], ...] = ()  # (face, file relative to the project root)
    word_fonts: tuple[tuple[str, str], ...] = tuple(WORD_FONTS.items())

    @classmethod
    def from_config(cls, config: Config) -> DocumentSettings:
        def text(name: str) -> str:
            return str(config.value(f"document.{name}") or "")

        return cls(
            cc=text("cc"),
            printer=text("printer"),
            copy_number=config.value("document.copy_number") == "yes",
            classification=text("classification"),
            fonts=tuple((face, text(f"fonts.{face}")) for face in FACES if text(f"fonts.{face}")),
            word_fonts=tuple(
                (face, text(f"word_fonts.{face}") or WORD_FONTS[face]) for face in FACES
            ),
        )

    def font_files(self, root: Path) -> dict[str, Path]:
        return {face: (root / path) for face, path in self.fonts}

    def missing_fonts(self, root: Path) -> list[str]:
        """Messages for configured font files that are not there."""
        return [
            f"extra.tongbao.document.fonts.{face}：找不到字体文件 {path}（{FACE_WORDS[face]}；路径相对于项目根目录）"
            for face, path in self.fonts
            if not (root / path).is_file()
        ]
