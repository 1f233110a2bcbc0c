"""Shared by the sample generators: write an SPSS file that is byte-identical
on every run, so a regenerated sample never looks like a new delivery."""

from pathlib import Path


def write_sav(frame, path: Path, value_labels: dict, stamp: str = "01 Dec 2312:00:00") -> Path:
    """pyreadstat's write_sav, then the creation date and time that ReadStat
    stamps into the header (bytes 92-108, `dd Mmm yyhh:mm:ss`) set to `stamp`."""
    import pyreadstat

    pyreadstat.write_sav(frame, path, variable_value_labels=value_labels)
    content = bytearray(path.read_bytes())
    assert content[:4] == b"$FL2" and content[101:109].count(b":") == 2, "unexpected SPSS header"
    content[92:109] = stamp.encode("ascii")
    path.write_bytes(bytes(content))
    return path
