// Marks one GLIBCXX version need of an ELF64 shared library as weak (VER_FLG_WEAK), so that the dynamic loader
// only warns instead of refusing the library when the host's libstdc++ lacks that version.
// Why: TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13) for one symbol,
// _ZSt21ios_base_library_initv, a marker the compiler references but never calls; Debian 12 ships up to 3.4.30.
// Compiled as an MSBuild inline task by build/TorchSharpNative.targets (netstandard references only, hence
// BitConverter rather than spans), and by the tests (with PATCHER_WITHOUT_MSBUILD: the patcher alone).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
#if !PATCHER_WITHOUT_MSBUILD
using Microsoft.Build.Framework;
#endif

namespace OneShotGee.Build
{
    public enum PatchOutcome { Patched, AlreadyWeak, VersionNotNeeded }

    public static class GlibcxxVersionNeedPatcher
    {
        public const string DefaultVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named <paramref name="version"/>; idempotent.</summary>
        public static PatchOutcome Patch(string path, string version = DefaultVersion)
        {
            byte[] elf = File.ReadAllBytes(path);
            int flagsOffset = FindVernauxFlagsOffset(elf, version, path);
            if (flagsOffset < 0) return PatchOutcome.VersionNotNeeded;
            ushort flags = BitConverter.ToUInt16(elf, flagsOffset);
            if ((flags & VerFlgWeak) != 0) return PatchOutcome.AlreadyWeak;

            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                file.Position = flagsOffset;
                file.Write(BitConverter.GetBytes((ushort)(flags | VerFlgWeak)), 0, 2);
            }
            return PatchOutcome.Patched;
        }

        /// <summary>Whether the Vernaux entry named <paramref name="version"/> exists and is weak.</summary>
        public static bool IsWeak(string path, string version = DefaultVersion)
        {
            byte[] elf = File.ReadAllBytes(path);
            int offset = FindVernauxFlagsOffset(elf, version, path);
            return offset >= 0 && (BitConverter.ToUInt16(elf, offset) & VerFlgWeak) != 0;
        }

        /// <summary>True when a libstdc++ of this host defines <paramref name="version"/> (no patch needed).</summary>
        public static bool HostLibstdcxxProvides(IEnumerable<string> candidatePaths, string version = DefaultVersion)
        {
            string needle = version + "\0";
            return candidatePaths.Where(File.Exists)
                .Any(p => Encoding.ASCII.GetString(File.ReadAllBytes(p)).Contains(needle));
        }

        // ELF64 little-endian layouts: Elf64_Ehdr, Elf64_Shdr, Elf64_Verneed, Elf64_Vernaux (see elf.h).
        static int FindVernauxFlagsOffset(byte[] elf, string version, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F'
                || elf[4] != 2 || elf[5] != 1 || !BitConverter.IsLittleEndian)
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");

            long sectionTable = BitConverter.ToInt64(elf, 0x28);
            int sectionSize = BitConverter.ToUInt16(elf, 0x3A);
            int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)(sectionTable + s * sectionSize));
                if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed) continue;

                int need = checked((int)BitConverter.ToInt64(elf, header + 0x18));
                int needCount = (int)BitConverter.ToUInt32(elf, header + 0x2C);
                int stringsHeader = checked((int)(sectionTable + BitConverter.ToUInt32(elf, header + 0x28) * sectionSize));
                int strings = checked((int)BitConverter.ToInt64(elf, stringsHeader + 0x18));

                for (int n = 0; n < needCount; n++)
                {
                    int auxCount = BitConverter.ToUInt16(elf, need + 2);
                    int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                        int end = Array.IndexOf(elf, (byte)0, name);
                        if (Encoding.ASCII.GetString(elf, name, end - name) == version) return aux + 4;
                        aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                    }
                    need += (int)BitConverter.ToUInt32(elf, need + 12);
                }
            }
            return -1;
        }
    }

#if !PATCHER_WITHOUT_MSBUILD
    /// <summary>MSBuild task: patches every given copy of libLibTorchSharp.so unless the host needs no patch.</summary>
    public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        static readonly string[] LibstdcxxPaths =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };

        [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Patch even where this host's libstdc++ has the version: the output runs on other hosts (the GPU smoke kit).</summary>
        public bool Always { get; set; }

        public override bool Execute()
        {
            if (Libraries.Length == 0 || (!Always && GlibcxxVersionNeedPatcher.HostLibstdcxxProvides(LibstdcxxPaths))) return true;
            foreach (var library in Libraries)
            {
                if (GlibcxxVersionNeedPatcher.Patch(library.ItemSpec) == PatchOutcome.Patched)
                    Log.LogMessage(MessageImportance.Normal,
                        $"Marked {GlibcxxVersionNeedPatcher.DefaultVersion} weak in {library.ItemSpec}");
            }
            return true;
        }
    }
#endif
}
