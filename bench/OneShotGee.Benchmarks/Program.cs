using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// BenchmarkDotNet builds each job in a generated project that skips Directory.Build.targets; import it anyway so
// the TorchSharp native load fix (build/TorchSharpNative.targets) is applied to that project's output too.
var importBuildTargets = Job.Default.WithArguments([new MsBuildArgument("/p:ImportDirectoryBuildTargets=true")]).AsMutator();

// Every benchmark class in this assembly; pick with --filter, e.g. --filter '*GeeLoss*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.AddJob(importBuildTargets));
