using OneShotGee.Workers;

StepWorkerHost.Run(args, AppIds.Trainer);
