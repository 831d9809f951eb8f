using Salvo.Cli;

return await SalvoCli.CreateRootCommand().Parse(args).InvokeAsync();
